import { describe, expect, it } from 'vitest';
import { collectionName, collectionUrlCaution, collectionUrlProblem, normalizeCollectionUrl, organizationFromInput, organizationProblem } from '../../src/options/pat-input';
import { cloneRootProblem, layoutProblem, originPattern } from '../../src/shared/profile';
import { defaultBranches, titleFromBranch } from '../../src/popup/pr-defaults';
import { myVote, voteLabel, voteSummary, voteTone } from '../../src/popup/votes';
import type { PullRequestSummary } from '../../src/shared/messages';
import { avatarColor, initials } from '../../src/shared/ui/avatar';
import { companionOs } from '../../src/shared/companion-install';
import { pathParts } from '../../src/shared/ui/path-parts';
import { relativeTime } from '../../src/shared/ui/relative-time';

describe('project avatars', () => {
  it('uses the initials of up to two words', () => {
    expect(initials('Fabrikam Fiber')).toBe('FF');
    expect(initials('platform-tools infra')).toBe('PT');
    expect(initials('Platform')).toBe('P');
    expect(initials('élan vital')).toBe('ÉV');
    expect(initials('  ')).toBe('?');
  });

  it('gives a name the same colour every time, whatever its case, and spreads names over the palette', () => {
    expect(avatarColor('Platform')).toBe(avatarColor('platform'));
    expect(avatarColor('Platform')).toMatch(/^#[0-9a-f]{6}$/);
    const colours = new Set(['Platform', 'Mobile', 'Security', 'Website', 'Operations', 'Data Science', 'Fabrikam Fiber', 'Research'].map(avatarColor));
    expect(colours.size).toBeGreaterThan(3);
  });
});

describe('relativeTime', () => {
  const now = Date.parse('2026-08-20T12:00:00Z');
  it('says how long ago, in words', () => {
    expect(relativeTime(now - 20_000, now)).toBe('just now');
    expect(relativeTime(now - 60_000, now)).toBe('1 minute ago');
    expect(relativeTime(now - 5 * 3_600_000, now)).toBe('5 hours ago');
    expect(relativeTime('2026-08-19T10:00:00Z', now)).toBe('yesterday');
    expect(relativeTime('2026-08-17T12:00:00Z', now)).toBe('3 days ago');
    expect(relativeTime('2026-05-20T12:00:00Z', now)).toBe('3 months ago');
    expect(relativeTime('2024-08-01T12:00:00Z', now)).toBe('2 years ago');
    expect(relativeTime('garbage', now)).toBe('at an unknown time');
  });
});

const reviewer = (id: string, vote: number) => ({ id, displayName: id, vote, isRequired: false, isGroup: false });

describe('votes', () => {
  it('names each vote as Azure DevOps does, and no vote as not voted yet', () => {
    expect([10, 5, 0, -5, -10].map(voteLabel)).toEqual(['Approved', 'Approved with suggestions', 'Not voted yet', 'Waiting for author', 'Rejected']);
    expect([10, 5, 0, -5, -10].map(voteTone)).toEqual(['success', 'success', 'none', 'accent', 'danger']);
  });

  it('sums up the reviewers\' votes, strongest first, in words that follow a count', () => {
    expect(voteSummary([reviewer('a', 0), reviewer('b', 10), reviewer('c', -10), reviewer('d', 10)])).toBe('Reviewers: 2 approved · 1 rejected · 1 not voted yet');
    expect(voteSummary([reviewer('a', 0)])).toBe('Reviewers: 1 not voted yet');
    expect(voteSummary([])).toBe('No reviewers');
  });

  it('finds my own vote', () => {
    const pr = { reviewers: [reviewer('me', -5)] } as PullRequestSummary;
    expect(myVote(pr, 'me')).toBe(-5);
    expect(myVote(pr, 'other')).toBeUndefined();
    expect(myVote(pr, undefined)).toBeUndefined();
  });
});

describe('new pull request defaults', () => {
  it('makes a title from the branch name', () => {
    expect(titleFromBranch('refs/heads/feature/add-retry_policy')).toBe('Add retry policy');
    expect(titleFromBranch('bugfix')).toBe('Bugfix');
    expect(titleFromBranch('users/ada/')).toBe('');
  });

  it('proposes the local branch into the default branch', () => {
    const branches = ['develop', 'feature/x', 'main'];
    expect(defaultBranches(branches, 'main', 'feature/x')).toEqual({ source: 'feature/x', target: 'main' });
    expect(defaultBranches(branches, 'main', 'main')).toEqual({ source: 'develop', target: 'main' });
    expect(defaultBranches(branches, 'main', 'gone')).toEqual({ source: 'develop', target: 'main' });
    expect(defaultBranches(branches, undefined, null)).toEqual({ source: 'develop', target: 'main' });
    expect(defaultBranches(['master', 'x'], 'nope', undefined)).toEqual({ source: 'x', target: 'master' });
    expect(defaultBranches(['only'], 'only', undefined)).toEqual({ source: undefined, target: 'only' });
  });
});

describe('what people type when adding a token', () => {
  it('reads an organization from a name or a pasted URL', () => {
    expect(organizationFromInput(' fabrikam ')).toBe('fabrikam');
    expect(organizationFromInput('https://dev.azure.com/fabrikam/Platform/_git/Platform')).toBe('fabrikam');
    expect(organizationFromInput('dev.azure.com/fabrikam')).toBe('fabrikam');
    expect(organizationFromInput('https://fabrikam.visualstudio.com/DefaultCollection')).toBe('fabrikam');
    expect(organizationFromInput('fabrikam.visualstudio.com')).toBe('fabrikam');
  });

  it('checks organization names', () => {
    expect(organizationProblem('fabrikam-2')).toBeUndefined();
    expect(organizationProblem('')).toMatch(/Enter/);
    expect(organizationProblem('-fab')).toMatch(/letters, digits and hyphens/);
    expect(organizationProblem('fab rikam')).toMatch(/letters, digits and hyphens/);
    expect(organizationProblem('a'.repeat(51))).toMatch(/at most 50/);
  });

  it('checks collection URLs and derives what the profile and the permission need', () => {
    expect(collectionUrlProblem('https://tfs.fabrikam.test/tfs/DefaultCollection')).toBeUndefined();
    expect(collectionUrlProblem('')).toMatch(/Enter the collection URL/);
    expect(collectionUrlProblem('tfs.fabrikam.test/tfs')).toMatch(/not a URL/);
    expect(collectionUrlProblem('ftp://tfs.fabrikam.test/tfs')).toMatch(/https:\/\//);
    expect(collectionUrlProblem('https://tfs.fabrikam.test/')).toMatch(/Include the collection/);
    expect(collectionUrlProblem('https://ada:pw@tfs.fabrikam.test/tfs/x')).toMatch(/user name and password/);
    expect(collectionUrlProblem('https://tfs.fabrikam.test/tfs/x?y=1')).toMatch(/after \?/);
    // http:// is allowed, with a word that the token then travels unencrypted.
    expect(collectionUrlProblem('http://tfs:8080/tfs/DefaultCollection')).toBeUndefined();
    expect(collectionUrlCaution('http://tfs:8080/tfs/DefaultCollection')).toMatch(/^Over http:\/\/ the token travels unencrypted/);
    expect(collectionUrlCaution('https://tfs.fabrikam.test/tfs/DefaultCollection')).toBeUndefined();
    expect(collectionUrlCaution('http://')).toBeUndefined();
    expect(normalizeCollectionUrl(' https://tfs.fabrikam.test:8080/tfs/Default%20Collection/ ')).toBe('https://tfs.fabrikam.test:8080/tfs/Default%20Collection');
    expect(collectionName('https://tfs.fabrikam.test:8080/tfs/Default%20Collection')).toBe('Default Collection');
    // Without the port: Firefox grants a pattern with one but reaches nothing through it.
    expect(originPattern('https://tfs.fabrikam.test:8443/tfs/DefaultCollection')).toBe('https://tfs.fabrikam.test/*');
    expect(originPattern('http://tfs:8080/tfs/DefaultCollection')).toBe('http://tfs/*');
    expect(originPattern('https://tfs.fabrikam.test')).toBe('https://tfs.fabrikam.test/*');
    expect(originPattern('http://[::1]:8080/tfs')).toBe('http://[::1]/*');
  });

  it('accepts only absolute clone folders', () => {
    expect(cloneRootProblem('')).toBeUndefined();
    expect(cloneRootProblem('/home/ada/src')).toBeUndefined();
    expect(cloneRootProblem('C:\\src')).toBeUndefined();
    expect(cloneRootProblem('\\\\server\\share')).toBeUndefined();
    expect(cloneRootProblem('~/src')).toMatch(/absolute/);
    expect(cloneRootProblem('src')).toMatch(/absolute/);
  });

  it('refuses the top of a drive as a clone folder, as the companion does', () => {
    for (const top of ['/', ' // ', 'C:\\', 'c:/', 'D:\\\\']) expect(cloneRootProblem(top), top).toMatch(/below the top of the drive/);
    expect(cloneRootProblem('C:\\src')).toBeUndefined();
    expect(cloneRootProblem('/src')).toBeUndefined();
  });

  it('accepts a layout of {org}, {project} and {repo} only', () => {
    expect(layoutProblem('{org}/{project}/{repo}')).toBeUndefined();
    expect(layoutProblem('src/{repo}')).toBeUndefined();
    expect(layoutProblem('{proj}/{repo}')).toBe('{proj} is not a placeholder: use {org}, {project} and {repo}.');
    expect(layoutProblem('{org}/{Repo}')).toMatch(/^\{Repo\} is not a placeholder/);
    expect(layoutProblem('{org/{repo}')).toMatch(/^\{org is not a placeholder/);
    expect(layoutProblem('{org}/{project}')).toMatch(/Include \{repo\}/);
  });
});

describe('pathParts', () => {
  it('cuts after each separator, and joined gives the path back', () => {
    expect(pathParts('/home/ada/src')).toEqual(['/', 'home/', 'ada/', 'src']);
    expect(pathParts('C:\\Users\\Ada\\source\\repos')).toEqual(['C:\\', 'Users\\', 'Ada\\', 'source\\', 'repos']);
    expect(pathParts('/srv//code/')).toEqual(['/', 'srv//', 'code/']);
    expect(pathParts('plain')).toEqual(['plain']);
    expect(pathParts('')).toEqual([]);
    for (const p of ['/a/b c/d', 'C:\\x\\y', 'rel/a\\b']) expect(pathParts(p).join('')).toBe(p);
  });
});

describe('companionOs', () => {
  it('names the companion for each system getPlatformInfo reports', () => {
    expect(['win', 'mac', 'linux', 'cros', 'openbsd'].map(companionOs)).toEqual(['win', 'mac', 'linux', 'linux', 'linux']);
  });
});
