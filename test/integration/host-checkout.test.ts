/**
 * status, checkout and worktree on real clones of the sandbox Azure DevOps, through the built host:
 * a pull request's branch (same repository and from a fork), its merge preview, a dirty tree that
 * is never touched, and hostile names, paths and repository configuration.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox as AdoSandbox } from '../../sandbox/index';
import type { CheckoutData, LocalClonesData, StatusData } from '../../src/shared/host-protocol';
import { HostProcess, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

let ado: AdoSandbox;
let pat: string;
let sandbox: Sandbox;
let host: HostProcess;
let clone: string;

const PLATFORM = 'https://fabrikam@dev.azure.com/fabrikam/Platform/_git/Platform';
const FORK = 'https://dev.azure.com/fabrikam/Security/_git/platform-fork';

beforeAll(async () => {
  ado = await startSandbox({ quiet: true });
  pat = ado.pats.fabrikam!;
}, 120_000);
afterAll(async () => {
  await ado?.close();
  removeBuilds();
});
beforeEach(async () => {
  ado.services.faults.clear();
  sandbox = makeSandbox({ GIT_CONFIG_GLOBAL: ado.gitConfig });
  host = await HostProcess.start(sandbox.env);
  expect((await host.request({ type: 'configure', cloneRoots: [sandbox.roots] })).ok).toBe(true);
  const cloned = await host.request({ type: 'clone', url: PLATFORM, root: sandbox.roots, folder: 'fabrikam/Platform', auth: { kind: 'pat', token: pat } }, 60_000);
  expect(cloned.ok).toBe(true);
  clone = join(sandbox.roots, 'fabrikam', 'Platform');
}, 90_000);
afterEach(async () => {
  await host.close();
  sandbox.remove();
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: sandbox.env, encoding: 'utf8' }).trim();
const auth = () => ({ kind: 'pat', token: pat });
const checkout = (fields: Record<string, unknown>) => host.request<CheckoutData>({ type: 'checkout', path: clone, remote: 'origin', auth: auth(), ...fields }, 60_000);
const worktree = (fields: Record<string, unknown>) => host.request<CheckoutData>({ type: 'worktree', path: clone, remote: 'origin', auth: auth(), ...fields }, 60_000);
const refs = (path: string) => git(path, 'for-each-ref', '--format=%(refname) %(objectname)');

describe('status', () => {
  it('says which branch, which commit, what it tracks and whether there are changes', async () => {
    const head = git(clone, 'rev-parse', 'HEAD');
    expect(await host.request({ type: 'status', path: clone })).toMatchObject({
      ok: true,
      data: { path: clone, branch: 'main', head, upstream: 'origin/main', ahead: 0, behind: 0, dirty: false } satisfies StatusData,
    });
    writeFileSync(join(clone, 'scratch.txt'), 'x');
    expect(await host.request({ type: 'status', path: clone })).toMatchObject({ ok: true, data: { dirty: true } });
    expect(await host.request({ type: 'status', path: sandbox.roots })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('checkout', () => {
  it("switches to a pull request's source branch, tracking it, and updates it the next time", async () => {
    const answer = await checkout({ branch: 'refs/heads/feature/retry-policy' });
    const tip = git(clone, 'rev-parse', 'origin/feature/retry-policy');
    expect(answer).toMatchObject({ ok: true, data: { path: clone, branch: 'feature/retry-policy', head: tip, upstream: 'origin/feature/retry-policy', result: 'created' } });
    expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('feature/retry-policy');
    expect(git(clone, 'rev-parse', '--abbrev-ref', '@{upstream}')).toBe('origin/feature/retry-policy');
    expect(existsSync(join(clone, 'src', 'lib', 'retry.ts'))).toBe(true);

    expect(await checkout({ branch: 'feature/retry-policy' })).toMatchObject({ ok: true, data: { result: 'unchanged' } });
    // Behind its upstream: moved forward.
    git(clone, 'switch', '-q', 'main');
    git(clone, 'branch', '-f', 'feature/retry-policy', `${tip}~1`);
    expect(await checkout({ branch: 'feature/retry-policy' })).toMatchObject({ ok: true, data: { result: 'updated', head: tip } });
    // With a commit of its own: switched to, never moved.
    git(clone, '-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '-q', '--allow-empty', '-m', 'mine');
    const mine = git(clone, 'rev-parse', 'HEAD');
    git(clone, 'switch', '-q', 'main');
    expect(await checkout({ branch: 'feature/retry-policy' })).toMatchObject({ ok: true, data: { result: 'diverged', head: mine } });
  });

  it('checks out a branch of a fork added as a remote, under a local name of its own', async () => {
    expect((await host.request({ type: 'addRemote', path: clone, name: 'Security-platform-fork', url: FORK })).ok).toBe(true);
    const answer = await checkout({ remote: 'Security-platform-fork', branch: 'feature/deep/nested/refactor', newBranch: 'Security-platform-fork/feature/deep/nested/refactor' });
    expect(answer).toMatchObject({
      ok: true,
      data: { branch: 'Security-platform-fork/feature/deep/nested/refactor', upstream: 'Security-platform-fork/feature/deep/nested/refactor', result: 'created' },
    });
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(git(clone, 'rev-parse', 'refs/remotes/Security-platform-fork/feature/deep/nested/refactor'));
  });

  it("checks out a pull request's merge preview detached, read from refs/pull/{id}/merge", async () => {
    const pr = [...ado.services.store.pullRequests.values()].find((p) => p.title === 'Add a retry policy to the HTTP client')!;
    const answer = await checkout({ pullRequest: pr.pullRequestId });
    expect(answer).toMatchObject({ ok: true, data: { branch: null, upstream: null, result: 'detached' } });
    const head = git(clone, 'rev-parse', 'HEAD');
    expect((answer as { data: CheckoutData }).data.head).toBe(head);
    // A merge of the source into the target, and no branch was made for it.
    expect(git(clone, 'rev-list', '--parents', '-n', '1', 'HEAD').split(' ')).toHaveLength(3);
    expect(() => git(clone, 'symbolic-ref', '-q', 'HEAD')).toThrow();
    expect(existsSync(join(clone, 'src', 'lib', 'retry.ts'))).toBe(true);
    expect(await checkout({ pullRequest: 999_999 })).toMatchObject({ ok: false, error: { code: 'BRANCH_NOT_FOUND' } });
    // Only active pull requests have one; a fork's has the fork's commits in it.
    const completed = [...ado.services.store.pullRequests.values()].find((p) => p.title === 'Guard against a missing configuration at start')!;
    expect(await checkout({ pullRequest: completed.pullRequestId })).toMatchObject({ ok: false, error: { code: 'BRANCH_NOT_FOUND' } });
    const fromFork = [...ado.services.store.pullRequests.values()].find((p) => p.title.includes('from the security fork'))!;
    expect(await checkout({ pullRequest: fromFork.pullRequestId })).toMatchObject({ ok: true, data: { result: 'detached' } });
    expect(git(clone, 'log', '-1', '--format=%s')).toContain(`Merge pull request ${fromFork.pullRequestId}`);
    expect(git(clone, 'status', '--porcelain')).toBe('');
  });

  it('never touches a tree with changes, and fetches nothing for it', async () => {
    writeFileSync(join(clone, 'README.md'), 'my edit\n');
    writeFileSync(join(clone, 'new file.txt'), 'untracked\n');
    const before = refs(clone);
    expect(await checkout({ branch: 'feature/retry-policy' })).toMatchObject({ ok: false, error: { code: 'WORKTREE_DIRTY', details: { path: clone, branch: 'main' } } });
    expect(await checkout({ pullRequest: 1 })).toMatchObject({ ok: false, error: { code: 'WORKTREE_DIRTY' } });
    expect(refs(clone)).toBe(before);
    expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(readFileSync(join(clone, 'README.md'), 'utf8')).toBe('my edit\n');
    expect(readFileSync(join(clone, 'new file.txt'), 'utf8')).toBe('untracked\n');
  });

  it('refuses hostile names and paths with documented errors, before git runs', async () => {
    const before = refs(clone);
    const refused: Array<[Record<string, unknown>, string]> = [
      [{ branch: '--upload-pack=touch /tmp/pwned' }, 'BAD_REQUEST'],
      [{ remote: '--upload-pack=x', branch: 'main' }, 'BAD_REQUEST'],
      [{ branch: 'feature/../main' }, 'BAD_REQUEST'],
      [{ branch: 'with space' }, 'BAD_REQUEST'],
      [{ branch: 'main', newBranch: '-D' }, 'BAD_REQUEST'],
      [{ branch: 'main', newBranch: 'a b' }, 'BAD_REQUEST'],
      [{ branch: 'main', pullRequest: 1 }, 'BAD_REQUEST'],
      [{}, 'BAD_REQUEST'],
      [{ pullRequest: 1, newBranch: 'x' }, 'BAD_REQUEST'],
      [{ branch: 'main', detach: true, newBranch: 'x' }, 'BAD_REQUEST'],
      [{ pullRequest: -1 }, 'BAD_REQUEST'],
      [{ remote: 'nosuch', branch: 'main' }, 'NOT_FOUND'],
      [{ branch: 'no/such/branch' }, 'BRANCH_NOT_FOUND'],
      [{ path: sandbox.dir, branch: 'main' }, 'NOT_FOUND'],
      [{ path: join(clone, 'src'), branch: 'main' }, 'NOT_FOUND'],
      [{ path: join(clone, '..', '..', '..'), branch: 'main' }, 'NOT_FOUND'],
    ];
    for (const [fields, code] of refused) expect(await checkout(fields), JSON.stringify(fields)).toMatchObject({ ok: false, error: { code } });
    expect(existsSync('/tmp/pwned')).toBe(false);
    expect(refs(clone)).toBe(before);
  });

  it('checks a branch out detached, and can be cancelled while it fetches, changing nothing', async () => {
    expect(await checkout({ branch: 'feature/retry-policy', detach: true })).toMatchObject({ ok: true, data: { branch: null, upstream: null, result: 'detached' } });
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(git(clone, 'rev-parse', 'origin/feature/retry-policy'));
    expect(() => git(clone, 'rev-parse', '--verify', '-q', 'refs/heads/feature/retry-policy')).toThrow();
    git(clone, 'switch', '-q', 'main');
    // The server takes its time answering git, so the fetch is still running when cancel comes.
    ado.services.faults.add({ match: { pathRegex: 'Platform/info/refs' }, latencyMs: 30_000, times: 1 });
    host.send({ id: 'slow', type: 'checkout', path: clone, remote: 'origin', branch: 'feature/deep/nested/refactor', auth: auth() });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await host.request({ type: 'cancel', target: 'slow' })).toMatchObject({ ok: true, data: { cancelled: true } });
    expect(await host.waitFor((m) => m.id === 'slow' && 'ok' in m, 20_000)).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    ado.services.faults.clear();
    expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(() => git(clone, 'rev-parse', '--verify', '-q', 'refs/heads/feature/deep/nested/refactor')).toThrow();
  });

  it('does not reuse a local branch of the same name that tracks something else, or tracks nothing and has commits of its own', async () => {
    git(clone, 'branch', '--track', 'feature/retry-policy', 'origin/main');
    expect(await checkout({ branch: 'feature/retry-policy' })).toMatchObject({ ok: false, error: { code: 'BRANCH_EXISTS', details: { branch: 'feature/retry-policy', upstream: 'origin/main' } } });
    git(clone, 'branch', '-D', 'feature/retry-policy');
    git(clone, 'switch', '-q', '-c', 'feature/retry-policy');
    git(clone, '-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '-q', '--allow-empty', '-m', 'mine');
    const mine = git(clone, 'rev-parse', 'HEAD');
    git(clone, 'switch', '-q', 'main');
    expect(await checkout({ branch: 'feature/retry-policy' })).toMatchObject({ ok: false, error: { code: 'BRANCH_EXISTS', details: { branch: 'feature/retry-policy', upstream: null } } });
    expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git(clone, 'rev-parse', 'feature/retry-policy')).toBe(mine);
  });

  it('takes a local branch that tracks nothing (pushed without -u) and is behind the remote one as that branch: tracking it, moved forward', async () => {
    // One commit behind the remote's, as a push from another computer leaves it.
    git(clone, 'branch', '--no-track', 'feature/retry-policy', 'origin/feature/retry-policy~1');
    expect(await checkout({ branch: 'feature/retry-policy' })).toMatchObject({ ok: true, data: { branch: 'feature/retry-policy', upstream: 'origin/feature/retry-policy', result: 'updated' } });
    expect(git(clone, 'rev-parse', '--abbrev-ref', '@{upstream}')).toBe('origin/feature/retry-policy');
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(git(clone, 'rev-parse', 'origin/feature/retry-policy'));
  });

  it('leaves such a branch as it was, tracking nothing, when it is checked out in another work tree and so refused', async () => {
    const elsewhere = join(sandbox.roots, 'fabrikam', 'Platform-mine');
    git(clone, 'worktree', 'add', '-q', '--no-track', '-b', 'feature/retry-policy', elsewhere, 'origin/feature/retry-policy~1');
    expect(await checkout({ branch: 'feature/retry-policy' })).toMatchObject({ ok: false, error: { code: 'BRANCH_EXISTS', details: { checkedOutAt: elsewhere } } });
    expect(() => git(clone, 'config', '--get', 'branch.feature/retry-policy.merge')).toThrow();
  });

  it('names a work tree whose folder was deleted by hand as what holds the branch, and how to let git forget it', async () => {
    expect(await worktree({ branch: 'feature/retry-policy', folder: 'Platform-gone' })).toMatchObject({ ok: true });
    const gone = join(sandbox.roots, 'fabrikam', 'Platform-gone');
    rmSync(gone, { recursive: true, force: true });
    const refused = await checkout({ branch: 'feature/retry-policy' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BRANCH_EXISTS', details: { checkedOutAt: gone } } });
    expect((refused as { error: { message: string } }).error.message).toContain(`(a folder that no longer exists: run "git worktree prune" in ${clone} to let git forget it)`);
    git(clone, 'worktree', 'prune');
    expect(await checkout({ branch: 'feature/retry-policy' })).toMatchObject({ ok: true });
  });

  it("runs none of the repository's own programs: hooks, filter drivers, submodule recursion", async () => {
    const markers = join(sandbox.dir, 'markers');
    mkdirSync(markers);
    const script = (name: string) => {
      const file = join(sandbox.dir, `${name}.sh`);
      writeFileSync(file, `#!/bin/sh\ntouch '${join(markers, name)}'\ncat\n`);
      chmodSync(file, 0o755);
      return file;
    };
    writeFileSync(join(clone, '.git', 'hooks', 'post-checkout'), `#!/bin/sh\ntouch '${join(markers, 'hook')}'\n`);
    chmodSync(join(clone, '.git', 'hooks', 'post-checkout'), 0o755);
    git(clone, 'config', 'filter.evil.smudge', script('smudge'));
    git(clone, 'config', 'filter.evil.clean', script('clean'));
    writeFileSync(join(clone, '.git', 'info', 'attributes'), '* filter=evil\n');
    git(clone, 'config', 'submodule.recurse', 'true');
    expect(await checkout({ branch: 'feature/retry-policy' })).toMatchObject({ ok: true, data: { result: 'created' } });
    expect(await worktree({ branch: 'feature/deep/nested/refactor', folder: 'Platform-refactor' })).toMatchObject({ ok: true });
    expect(readdirSync(markers)).toEqual([]);
  });
});

describe('a clone that fetches one branch only (--single-branch, --depth)', () => {
  it('checks out another branch, tracking it, in the clone and in a work tree, and fetches it from then on', async () => {
    git(clone, 'config', 'remote.origin.fetch', '+refs/heads/main:refs/remotes/origin/main');
    expect(await checkout({ branch: 'feature/retry-policy' })).toMatchObject({ ok: true, data: { branch: 'feature/retry-policy', upstream: 'origin/feature/retry-policy', result: 'created' } });
    expect(git(clone, 'rev-parse', '--abbrev-ref', '@{upstream}')).toBe('origin/feature/retry-policy');
    expect(git(clone, 'config', '--get-all', 'remote.origin.fetch').split('\n')).toEqual([
      '+refs/heads/main:refs/remotes/origin/main',
      '+refs/heads/feature/retry-policy:refs/remotes/origin/feature/retry-policy',
    ]);
    // Asked again, nothing is added twice.
    expect(await checkout({ branch: 'feature/retry-policy' })).toMatchObject({ ok: true, data: { result: 'unchanged' } });
    expect(git(clone, 'config', '--get-all', 'remote.origin.fetch').split('\n')).toHaveLength(2);

    git(clone, 'switch', '-q', 'main');
    const added = await worktree({ branch: 'feature/deep/nested/refactor', folder: 'Platform-refactor' });
    expect(added).toMatchObject({ ok: true, data: { branch: 'feature/deep/nested/refactor', upstream: 'origin/feature/deep/nested/refactor', result: 'created' } });
    expect(git(join(sandbox.roots, 'fabrikam', 'Platform-refactor'), 'rev-parse', '--abbrev-ref', '@{upstream}')).toBe('origin/feature/deep/nested/refactor');
  });
});

describe('worktree', () => {
  it('checks a pull request out next to a clone with changes, leaving the clone as it was', async () => {
    writeFileSync(join(clone, 'README.md'), 'my edit\n');
    const head = git(clone, 'rev-parse', 'HEAD');
    const answer = await worktree({ branch: 'feature/retry-policy', folder: 'Platform-retry-policy' });
    const path = join(sandbox.roots, 'fabrikam', 'Platform-retry-policy');
    expect(answer).toMatchObject({ ok: true, data: { path, branch: 'feature/retry-policy', upstream: 'origin/feature/retry-policy', result: 'created' } });
    expect(git(path, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('feature/retry-policy');
    expect(git(path, 'rev-parse', '--abbrev-ref', '@{upstream}')).toBe('origin/feature/retry-policy');
    expect(existsSync(join(path, 'src', 'lib', 'retry.ts'))).toBe(true);
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(join(clone, 'README.md'), 'utf8')).toBe('my edit\n');
    // The new folder is a clone the companion knows: it can be opened, checked out again, listed.
    expect(await host.request({ type: 'status', path })).toMatchObject({ ok: true, data: { branch: 'feature/retry-policy', dirty: false } });
    const listed = (await host.request<LocalClonesData>({ type: 'localClones' })) as { data: LocalClonesData };
    expect(listed.data.clones.find((c) => c.path === path)).toMatchObject({ worktree: true, branch: 'feature/retry-policy', remotes: [{ name: 'origin' }] });
    expect(listed.data.clones.find((c) => c.path === clone)).not.toHaveProperty('worktree');

    const preview = await worktree({ pullRequest: 1, folder: 'Platform-pr-1' });
    expect(preview).toMatchObject({ ok: true, data: { branch: null, result: 'detached' } });
  });

  it('never moves a branch that the clone (with changes) has checked out: BRANCH_EXISTS, so another name is chosen', async () => {
    expect(await checkout({ branch: 'feature/retry-policy' })).toMatchObject({ ok: true });
    // Behind its upstream, and with changes in the tree.
    git(clone, 'reset', '-q', '--hard', 'HEAD~1');
    writeFileSync(join(clone, 'README.md'), 'my edit\n');
    const head = git(clone, 'rev-parse', 'HEAD');
    expect(await worktree({ branch: 'feature/retry-policy', folder: 'Platform-again' })).toMatchObject({
      ok: false,
      error: { code: 'BRANCH_EXISTS', details: { branch: 'feature/retry-policy', checkedOutAt: clone } },
    });
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(join(clone, 'README.md'), 'utf8')).toBe('my edit\n');
    expect(existsSync(join(sandbox.roots, 'fabrikam', 'Platform-again'))).toBe(false);
    const renamed = await worktree({ branch: 'feature/retry-policy', newBranch: 'pr/1/feature/retry-policy', folder: 'Platform-again' });
    expect(renamed).toMatchObject({ ok: true, data: { branch: 'pr/1/feature/retry-policy', result: 'created' } });
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(head);
    // And the clone cannot switch to the branch the worktree has.
    git(clone, 'checkout', '-q', '--', 'README.md');
    git(clone, 'switch', '-q', 'main');
    expect(await checkout({ branch: 'feature/retry-policy', newBranch: 'pr/1/feature/retry-policy' })).toMatchObject({ ok: false, error: { code: 'BRANCH_EXISTS', details: { checkedOutAt: join(sandbox.roots, 'fabrikam', 'Platform-again') } } });
    expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
  });

  it("checked out again into the clone's own worktree, updates it there; a worktree with changes, or another repository's, is refused", async () => {
    writeFileSync(join(clone, 'README.md'), 'my edit\n');
    const head = git(clone, 'rev-parse', 'HEAD');
    const path = join(sandbox.roots, 'fabrikam', 'Platform-pr-1');
    expect(await worktree({ branch: 'feature/retry-policy', folder: 'Platform-pr-1' })).toMatchObject({ ok: true, data: { path, result: 'created' } });
    expect(await worktree({ branch: 'feature/retry-policy', folder: 'Platform-pr-1' })).toMatchObject({ ok: true, data: { path, result: 'unchanged', reused: true } });
    // The author pushed again: the worktree's branch is behind its upstream.
    const tip = git(path, 'rev-parse', 'HEAD');
    git(path, 'reset', '-q', '--hard', 'HEAD~1');
    const again = await worktree({ branch: 'feature/retry-policy', folder: 'Platform-pr-1' });
    expect(again).toMatchObject({ ok: true, data: { path, branch: 'feature/retry-policy', upstream: 'origin/feature/retry-policy', head: tip, result: 'updated', reused: true } });
    expect(git(path, 'rev-parse', 'HEAD')).toBe(tip);
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(join(clone, 'README.md'), 'utf8')).toBe('my edit\n');
    // Work in the worktree is never touched.
    git(path, 'reset', '-q', '--hard', 'HEAD~1');
    writeFileSync(join(path, 'README.md'), 'worktree edit\n');
    expect(await worktree({ branch: 'feature/retry-policy', folder: 'Platform-pr-1' })).toMatchObject({ ok: false, error: { code: 'WORKTREE_DIRTY', details: { path } } });
    expect(git(path, 'rev-parse', 'HEAD')).toBe(git(path, 'rev-parse', `${tip}~1`));
    expect(readFileSync(join(path, 'README.md'), 'utf8')).toBe('worktree edit\n');
    // A worktree of another repository, under the same kind of name, is not this clone's.
    const other = join(sandbox.roots, 'other');
    mkdirSync(other);
    git(other, 'init', '-q');
    git(other, '-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '-q', '--allow-empty', '-m', 'other');
    git(other, 'worktree', 'add', '-q', join(sandbox.roots, 'fabrikam', 'Platform-pr-2'));
    expect(await worktree({ branch: 'feature/retry-policy', folder: 'Platform-pr-2' })).toMatchObject({ ok: false, error: { code: 'DEST_EXISTS' } });
    expect(git(join(sandbox.roots, 'fabrikam', 'Platform-pr-2'), 'log', '-1', '--format=%s')).toBe('other');
  });

  it('refuses folders that are not one new name next to the clone, making nothing', async () => {
    mkdirSync(join(sandbox.roots, 'fabrikam', 'taken'));
    writeFileSync(join(sandbox.roots, 'fabrikam', 'taken', 'f'), 'x');
    const refused: Array<[Record<string, unknown>, string]> = [
      [{ folder: '../escape' }, 'DEST_OUTSIDE_ROOT'],
      [{ folder: '/tmp/x' }, 'DEST_OUTSIDE_ROOT'],
      [{ folder: 'a/b' }, 'BAD_REQUEST'],
      [{ folder: '.git' }, 'BAD_REQUEST'],
      [{ folder: '--detach' }, 'BAD_REQUEST'],
      [{ folder: 'taken' }, 'DEST_EXISTS'],
      [{ folder: 'Platform' }, 'DEST_EXISTS'],
      [{ folder: 'x', branch: '--upload-pack=x' }, 'BAD_REQUEST'],
      [{ folder: 'y', branch: 'no/such/branch' }, 'BRANCH_NOT_FOUND'],
    ];
    const before = readdirSync(join(sandbox.roots, 'fabrikam')).toSorted();
    for (const [fields, code] of refused) expect(await worktree({ branch: 'main', ...fields }), JSON.stringify(fields)).toMatchObject({ ok: false, error: { code } });
    expect(readdirSync(join(sandbox.roots, 'fabrikam')).toSorted()).toEqual(before);
    expect(readdirSync(sandbox.dir).includes('escape')).toBe(false);
    expect(git(clone, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  });
});

/** A companion whose user configuration smudges every file with a 5 s wait; `started` appears once git writes the first one. */
async function slowCompanion(): Promise<string> {
  const started = join(sandbox.dir, 'smudge-started');
  const attributes = join(sandbox.dir, 'attributes');
  writeFileSync(attributes, '* filter=slow\n');
  const config = join(sandbox.dir, 'gitconfig-slow');
  writeFileSync(config, `[include]\n\tpath = ${ado.gitConfig}\n[core]\n\tattributesFile = ${attributes}\n[filter "slow"]\n\tsmudge = "touch '${started}'; sleep 5; cat"\n`);
  await host.close();
  host = await HostProcess.start({ ...sandbox.env, GIT_CONFIG_GLOBAL: config });
  return started;
}
async function cancelOnceWriting(id: string, started: string): Promise<{ answer: unknown; ms: number }> {
  const deadline = Date.now() + 30_000;
  while (!existsSync(started) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(existsSync(started)).toBe(true);
  await new Promise((r) => setTimeout(r, 1000));
  const at = Date.now();
  expect(await host.request({ type: 'cancel', target: id })).toMatchObject({ ok: true, data: { cancelled: true } });
  const answer = await host.waitFor((m) => m.id === id && 'ok' in m, 60_000);
  return { answer, ms: Date.now() - at };
}

describe('writing files slowly (a filter of the user’s, such as Git LFS on a slow link)', () => {
  it('a checkout is cancelled while git writes the files: git is stopped at once, HEAD and the branches are as they were, and the answer says what may be left', async () => {
    const started = await slowCompanion();
    host.send({ id: 'writing', type: 'checkout', path: clone, remote: 'origin', branch: 'feature/retry-policy', auth: auth() });
    const { answer, ms } = await cancelOnceWriting('writing', started);
    expect(answer).toMatchObject({ ok: false, error: { code: 'CANCELLED', message: expect.stringContaining(`Run "git status" there to see which, and "git restore ." to put them back.`) } });
    expect(ms).toBeLessThan(3000);
    expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(() => git(clone, 'rev-parse', '--verify', '-q', 'refs/heads/feature/retry-policy')).toThrow();
    expect(existsSync(join(clone, '.git', 'index.lock'))).toBe(false);
  });

  it('a new worktree is cancelled while git writes its files: its folder is removed and git forgets it', async () => {
    const started = await slowCompanion();
    host.send({ id: 'adding', type: 'worktree', path: clone, remote: 'origin', branch: 'feature/retry-policy', folder: 'Platform-slow', auth: auth() });
    const { answer, ms } = await cancelOnceWriting('adding', started);
    expect(answer).toMatchObject({ ok: false, error: { code: 'CANCELLED', message: expect.stringContaining('its folder') } });
    expect(ms).toBeLessThan(3000);
    expect(existsSync(join(sandbox.roots, 'fabrikam', 'Platform-slow'))).toBe(false);
    expect(git(clone, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  });
});
