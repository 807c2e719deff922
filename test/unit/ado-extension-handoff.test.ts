import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { branchName, readChoice } from '../../ado-extension/src/context';
import { INSTALL_GUIDE_URL, PROJECT_URL, RELEASES_URL, vscodeCloneLink } from '../../src/shared/project-links';
import { HANDOFF_CHANNEL, isContributionMessage, isHandoffAck, marketplaceOrigins, parseHandoff } from '../../src/shared/ado-extension';

const frame = { name: 'our contribution' };
const other = { name: 'another frame' };
const cdn = 'https://adocompanion.gallerycdn.vsassets.io';
const clone = { channel: HANDOFF_CHANNEL, id: 'abcdef0123456789', action: 'clone', organization: 'contoso', project: 'Web', repository: 'site', branch: 'main' };

describe('who may hand off', () => {
  it("accepts a child frame of the page served by our publisher's Marketplace origins", () => {
    expect(marketplaceOrigins()).toEqual([cdn, 'https://adocompanion.gallery.vsassets.io']);
    for (const origin of marketplaceOrigins()) expect(isContributionMessage({ origin, source: frame }, [other, frame], [])).toBe(true);
  });

  it('accepts a granted Azure DevOps Server origin (a Server serves extension files itself)', () => {
    expect(isContributionMessage({ origin: 'https://tfs.fabrikam.test', source: frame }, [frame], ['https://tfs.fabrikam.test'])).toBe(true);
  });

  it('refuses other publishers, look-alike origins, the page itself and windows that are not its frames', () => {
    const refused = [
      { origin: 'https://evil.gallerycdn.vsassets.io', source: frame },
      { origin: 'https://adocompanion.gallerycdn.vsassets.io.evil.test', source: frame },
      { origin: 'http://adocompanion.gallerycdn.vsassets.io', source: frame },
      { origin: 'https://adocompanion.gallerycdn.vsassets.io:444', source: frame },
      { origin: 'https://dev.azure.com', source: frame },
      { origin: 'null', source: frame },
      { origin: cdn, source: other },
      { origin: cdn, source: null },
      { origin: 'https://tfs.fabrikam.test', source: frame },
    ];
    for (const event of refused) expect(isContributionMessage(event, [frame], []), JSON.stringify(event)).toBe(false);
  });
});

describe('what a hand-off may say', () => {
  it("is read for the page's own organization only, whatever the case", () => {
    expect(parseHandoff(clone, 'Contoso')).toEqual(clone);
    expect(parseHandoff(clone, 'fabrikam')).toBeUndefined();
  });

  it('refuses extra keys, bad ids, control characters and what an action lacks', () => {
    const bad = [
      { ...clone, extra: 1 },
      { ...clone, channel: 'other' },
      { ...clone, id: 'short' },
      { ...clone, action: 'delete' },
      { ...clone, repository: undefined },
      { ...clone, branch: 'a\nb' },
      { ...clone, project: 'x'.repeat(257) },
      { ...clone, action: 'checkout' },
      { ...clone, action: 'checkout', pullRequestId: -1 },
      { ...clone, action: 'startWork' },
      { ...clone, action: 'startWork', workItemId: 1.5 },
      'clone',
      null,
      [clone],
    ];
    for (const data of bad) expect(parseHandoff(data, 'contoso'), JSON.stringify(data)).toBeUndefined();
    expect(parseHandoff({ ...clone, action: 'checkout', pullRequestId: 7 }, 'contoso')).toBeDefined();
    expect(parseHandoff({ channel: HANDOFF_CHANNEL, id: clone.id, action: 'startWork', organization: 'contoso', project: 'Web', workItemId: 42 }, 'contoso')).toBeDefined();
  });

  it('an acknowledgement names the hand-off it answers', () => {
    expect(isHandoffAck({ channel: HANDOFF_CHANNEL, ack: 'abc' }, 'abc')).toBe(true);
    expect(isHandoffAck({ channel: HANDOFF_CHANNEL, ack: 'abd' }, 'abc')).toBe(false);
  });
});

describe("reading a menu's context", () => {
  const repository = { name: 'site', project: { name: 'Web' }, remoteUrl: 'https://dev.azure.com/contoso/Web/_git/site', sshUrl: 'git@ssh.dev.azure.com:v3/contoso/Web/site' };

  it('a branch row clones that branch', () => {
    expect(readChoice('clone', { item: { fullName: 'refs/heads/feature/x' }, repository }, undefined)).toEqual({
      action: 'clone', project: 'Web', repository: 'site', branch: 'feature/x', httpsUrl: repository.remoteUrl, sshUrl: repository.sshUrl,
    });
  });

  it("a Files item clones the version shown; a commit or tag is no branch", () => {
    expect(readChoice('clone', { gitRepository: repository, version: 'GBrelease' }, undefined).branch).toBe('release');
    expect(readChoice('clone', { gitRepository: repository, version: 'GCabc123' }, undefined).branch).toBeUndefined();
    expect(branchName('refs/tags/v1')).toBeUndefined();
  });

  it("reads the Files list's and tree's own context: the version as its display text", () => {
    // What both pass (MARKUP.md, Extension menus, W6): a branch's display text is its name; a
    // commit's or a tag's is a sentence around it, which can be no branch name.
    const context = (version: string) => ({ gitRepository: repository, item: { sourceProvider: 'Git', path: '/src', isFolder: true, isSymLink: false }, version });
    expect(readChoice('clone', context('feature/x'), undefined)).toEqual({
      action: 'clone', project: 'Web', repository: 'site', branch: 'feature/x', httpsUrl: repository.remoteUrl, sshUrl: repository.sshUrl,
    });
    expect(readChoice('clone', context('Commit 1a2b3c4d'), undefined).branch).toBeUndefined();
    expect(readChoice('clone', context('Tag v1.0'), undefined).branch).toBeUndefined();
    for (const notABranch of ['a..b', 'x~1', 'x^', 'a:b', 'a?', 'a*', 'a[b', 'a\\b', 'a@{1}', '-x']) expect(branchName(notABranch), notABranch).toBeUndefined();
  });

  it('a pull request and work items', () => {
    expect(readChoice('checkout', { pullRequest: { pullRequestId: 12, repository } }, undefined)).toMatchObject({ repository: 'site', pullRequestId: 12 });
    // What the pull request's ⋮ menu passes: Azure DevOps' own view model of the pull request, which
    // names its repository in `repositoryName` (its project only by id: the page's project is used).
    expect(readChoice('checkout', { pullRequest: { pullRequestId: 12, codeReviewId: 12, repositoryId: 'r1', repositoryName: 'site', projectGuid: 'p1' } }, 'Web')).toEqual({
      action: 'checkout',
      project: 'Web',
      repository: 'site',
      pullRequestId: 12,
    });
    expect(readChoice('startWork', { workItemIds: [42, 43] }, 'Web')).toEqual({ action: 'startWork', project: 'Web', workItemId: 42 });
    expect(readChoice('startWork', { id: 7 }, 'Web').workItemId).toBe(7);
  });

  it('says clearly what a menu did not give', () => {
    expect(() => readChoice('clone', {}, 'Web')).toThrow(/which repository/);
    expect(() => readChoice('checkout', { repository }, undefined)).toThrow(/which pull request/);
    expect(() => readChoice('startWork', {}, undefined)).toThrow(/which project/);
  });

  it('builds the VS Code clone link with the URL encoded', () => {
    expect(vscodeCloneLink('https://dev.azure.com/contoso/My%20Web/_git/site')).toBe('vscode://vscode.git/clone?url=https%3A%2F%2Fdev.azure.com%2Fcontoso%2FMy%2520Web%2F_git%2Fsite');
  });
});

describe('where people get the project', () => {
  it("is package.json's project: its homepage and repository name the same one", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { homepage: string; repository: { url: string } };
    expect(pkg.homepage).toBe(`${PROJECT_URL}#readme`);
    expect(pkg.repository.url).toBe(`git+${PROJECT_URL}.git`);
    expect(RELEASES_URL).toBe(`${PROJECT_URL}/releases/latest`);
  });

  it("points at README's install section, which exists", () => {
    const anchor = new URL(INSTALL_GUIDE_URL).hash.slice(1);
    const headings = [...readFileSync(new URL('../../README.md', import.meta.url), 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-'));
    expect(headings).toContain(anchor);
  });
});
