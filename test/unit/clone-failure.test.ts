import { describe, expect, it } from 'vitest';
import { classifyGitFailure } from '../../src/host/git-failure';
import { explainCloneFailure, failureActions, gitLine } from '../../src/shared/clone-failure';

/** The error the popup and the page receive for a clone whose git wrote `stderr`. */
const failure = (stderr: string) => {
  const { code, message } = classifyGitFailure(stderr);
  return { code: `companion.${code}`, message };
};
const help = (stderr: string, profile = true) => explainCloneFailure(failure(stderr), { profile });
/** The same for a Microsoft sign-in's git, as the background names it. */
const signIn = (stderr: string) => ({ code: 'companion.SIGN_IN_REFUSED', message: classifyGitFailure(stderr).message });

describe('explainCloneFailure', () => {
  it('tells a rejected token (401) from missing access (403), each with its next step and git’s line', () => {
    const expired = help("remote: TF401444: ...\nfatal: unable to access 'https://dev.azure.com/f/p/_git/r/': The requested URL returned error: 401");
    expect(expired.cause).toMatch(/did not accept the sign-in/);
    expect(expired.action).toBe('token');
    expect(expired.details).toBe("fatal: unable to access 'https://dev.azure.com/f/p/_git/r/': The requested URL returned error: 401");
    const forbidden = help("fatal: unable to access 'https://dev.azure.com/f/p/_git/r/': The requested URL returned error: 403");
    expect(forbidden.cause).toMatch(/not allowed to read/);
    expect(forbidden.next).toMatch(/Code \(Read\)/);
  });

  it('a folder in the way: names it, says how to get past it, and offers another clone folder beside Try again', () => {
    const inTheWay = { code: 'companion.DEST_EXISTS', message: '/home/ada/code/f/p/r exists and is not empty' };
    const explained = explainCloneFailure(inTheWay, { profile: true });
    expect(explained).toMatchObject({ cause: '/home/ada/code/f/p/r exists and is not empty.', action: 'folder', next: expect.stringMatching(/^Nothing was cloned\. Move or rename/) });
    expect(failureActions(inTheWay, explained, { profile: true })).toEqual({ fix: ['Choose another clone folder', 'companion'], retry: true });
    // The background's own "already cloned" needs no folder moved: Try again finds the clone.
    expect(explainCloneFailure({ code: 'companion.DEST_EXISTS', message: 'This repository is already cloned at /x.' }, { profile: true }).action).toBe('retry');
    // A checkout's new worktree in the way: nothing was cloned, and another clone folder would not move it.
    const worktree = { code: 'companion.DEST_EXISTS', message: '/home/ada/code/f/p/r-pr-1 exists and is not empty' };
    const forCheckout = explainCloneFailure(worktree, { profile: true, task: 'checkout' });
    expect(forCheckout).toMatchObject({ cause: '/home/ada/code/f/p/r-pr-1 exists and is not empty.', next: 'Nothing was checked out. Move or rename what is there, then try again.', action: 'retry' });
    expect(failureActions(worktree, forCheckout, { profile: true })).toEqual({ retry: true });
  });

  it("for a Microsoft sign-in's git, a 401 is signed in again and a 403 is access alone, never a token", () => {
    const refused = signIn("fatal: unable to access 'https://dev.azure.com/f/p/_git/r/': The requested URL returned error: 401");
    const expired = explainCloneFailure(refused, { profile: true });
    expect(expired).toMatchObject({ action: 'signIn', next: 'Sign in with Microsoft again in Options, then try again.' });
    expect(failureActions(refused, expired, { profile: true }).fix).toEqual(['Sign in again', 'profiles']);
    const denied = signIn("fatal: unable to access 'https://dev.azure.com/f/p/_git/r/': The requested URL returned error: 403");
    const forbidden = explainCloneFailure(denied, { profile: true });
    expect(forbidden).toMatchObject({ action: 'none', next: 'Ask a project administrator for access.' });
    expect(failureActions(denied, forbidden, { profile: true }).fix).toBeUndefined();
  });

  it('without a profile, a prompt git could not show means no credential helper', () => {
    const none = help("fatal: could not read Username for 'https://dev.azure.com': terminal prompts disabled", false);
    expect(none.cause).toMatch(/no credential helper/);
    expect(none.next).toMatch(/Git Credential Manager/);
    expect(help("fatal: could not read Username for 'https://dev.azure.com': terminal prompts disabled", true).cause).toMatch(/did not accept/);
    expect(explainCloneFailure({ code: 'companion.NO_CREDENTIAL_HELPER', message: 'git has no credential helper.' }, { profile: false })).toMatchObject({ action: 'token', next: expect.stringMatching(/Git Credential Manager/) });
  });

  it('a refusal by ssh of a key with a passphrase ssh-agent does not hold: load it or create a key, not add it to Azure DevOps', () => {
    const message =
      'Your SSH key /home/ann/.ssh/id_rsa has a passphrase and ssh-agent does not hold it, so ssh cannot use it. (git: git@ssh.dev.azure.com: Permission denied (publickey).)';
    const locked = explainCloneFailure({ code: 'companion.AUTH_FAILED', message }, { profile: true });
    expect(locked).toMatchObject({ cause: expect.stringMatching(/has a passphrase/), next: expect.stringContaining('ssh-add /home/ann/.ssh/id_rsa'), action: 'ssh', details: 'git@ssh.dev.azure.com: Permission denied (publickey).' });
    expect(locked.next).not.toMatch(/Add your public key/);
    expect(failureActions({ code: 'companion.AUTH_FAILED', message }, locked, { profile: true }).fix).toEqual(['Open the SSH key settings', 'ssh']);
  });

  it('a refusal by ssh: the SSH key settings, told apart from a host key ssh does not know, and never a credential helper', () => {
    const refused = help('git@ssh.dev.azure.com: Permission denied (publickey).\nfatal: Could not read from remote repository.');
    expect(refused).toMatchObject({ cause: 'The server did not accept your SSH key.', action: 'ssh', details: 'git@ssh.dev.azure.com: Permission denied (publickey).' });
    const unknownHost = help('Host key verification failed.\nfatal: Could not read from remote repository.', false);
    expect(unknownHost).toMatchObject({ cause: expect.stringMatching(/host key/), next: expect.stringMatching(/^Test the connection under Options › SSH key/), action: 'ssh' });
    // A companion before its SSH check called an https URL sent to SSH by insteadOf a missing credential helper, quoting ssh's line.
    const older = { code: 'companion.NO_CREDENTIAL_HELPER', message: 'git has no credential helper for https://dev.azure.com. (git: git@ssh.dev.azure.com: Permission denied (publickey).)' };
    expect(explainCloneFailure(older, { profile: false }).action).toBe('ssh');
    expect(failureActions(failure('Host key verification failed.'), unknownHost, { profile: true }).fix).toEqual(['Open the SSH key settings', 'ssh']);
    // No ssh at all: install it or use HTTPS; trying again alone cannot help, and no token would.
    const noSsh = help('error: cannot run ssh: No such file or directory\nfatal: unable to fork');
    expect(noSsh).toMatchObject({ cause: expect.stringMatching(/could not run ssh/), next: expect.stringMatching(/Install OpenSSH/), action: 'none' });
  });

  it('a full disk or a refused write: says which, and offers another clone folder', () => {
    const full = help("error: could not write config file /r/api/.git/config: No space left on device\nfatal: unable to update refs/remotes/origin/HEAD");
    expect(full).toMatchObject({ cause: 'The disk that holds the clone folder is full.', action: 'folder', details: 'error: could not write config file /r/api/.git/config: No space left on device' });
    expect(full.next).toMatch(/^Nothing was cloned\. Free some space .*another clone folder in Options\.$/);
    const refused = explainCloneFailure({ code: 'companion.CANNOT_WRITE', message: 'The companion could not write /r/org: permission denied.' }, { profile: true, task: 'checkout' });
    expect(refused).toEqual({ cause: 'The companion could not write /r/org: permission denied.', next: expect.stringMatching(/^Nothing was checked out\. .*try again\.$/), action: 'retry' });
  });

  it('explains 404, TLS, 5xx and network failures', () => {
    expect(help('remote: TF401019: The Git repository with name or identifier r does not exist\nfatal: repository not found').cause).toMatch(/not found/);
    expect(help("fatal: unable to access 'https://x/': SSL certificate problem: unable to get local issuer certificate").cause).toMatch(/certificate/);
    const outage = help("fatal: unable to access 'https://x/': The requested URL returned error: 503");
    expect(outage.cause).toMatch(/on its side/);
    expect(outage.action).toBe('retry');
    expect(help("fatal: unable to access 'https://x/': Could not resolve host: dev.azure.com").cause).toMatch(/could not be reached/);
  });

  it('sends a missing companion to its setup, and keeps sentences that are not from git', () => {
    expect(explainCloneFailure({ code: 'companion.missing', message: 'The desktop companion is not installed.' }, { profile: true })).toMatchObject({ action: 'companion' });
    const other = explainCloneFailure({ code: 'companion.BAD_REQUEST', message: 'That request was not understood.' }, { profile: true });
    expect(other).toEqual({ cause: 'That request was not understood.', next: 'Try again.', action: 'retry' });
    const noRoot = explainCloneFailure({ code: 'companion.NO_CLONE_ROOT', message: 'No clone folder is set.' }, { profile: true });
    expect(noRoot).toEqual({ cause: 'No clone folder is set.', next: 'Choose the folder clones go to, then try again.', action: 'companion' });
  });

  it('words a checkout as a checkout, not a clone', () => {
    const unknown = { code: 'companion.GIT_FAILED', message: 'git failed: error: pathspec did not match' };
    expect(explainCloneFailure(unknown, { profile: true }).cause).toBe('git could not clone the repository.');
    expect(explainCloneFailure(unknown, { profile: true, task: 'checkout' })).toEqual({ cause: 'git could not check the branch out.', next: 'Try again.', action: 'retry', details: 'error: pathspec did not match' });
    const gone = { code: 'companion.BRANCH_NOT_FOUND', message: 'That branch is not in the repository.' };
    expect(explainCloneFailure(gone, { profile: true }).next).toMatch(/clone again/);
    expect(explainCloneFailure(gone, { profile: true, task: 'checkout' }).next).not.toMatch(/clone/);
  });

  it('finds git’s line in both forms the companion writes', () => {
    expect(gitLine('Sentence. (git: fatal: x (y))')).toBe('fatal: x (y)');
    expect(gitLine('git failed: error: z')).toBe('error: z');
    expect(gitLine('A plain sentence.')).toBeUndefined();
  });
});
