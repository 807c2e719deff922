import { describe, expect, it } from 'vitest';
import { checkBranchName } from '../../src/host/branch-name';
import { cloneArgs } from '../../src/host/clone';
import { authorizationHeader, gitEnv } from '../../src/host/git-env';
import { classifyGitFailure } from '../../src/host/git-failure';
import { parseRemoteConfig } from '../../src/host/git-repo';
import { checkRemoteName } from '../../src/host/remotes';
import { fetchedInto } from '../../src/host/checkout';
import { describeSshTest } from '../../src/host/ssh-test';

describe('git environment', () => {
  it('restricts transports and prompts, always', () => {
    const env = gitEnv({ PATH: '/bin', GIT_ALLOW_PROTOCOL: 'file:ext' });
    expect(env.GIT_ALLOW_PROTOCOL).toBe('https:ssh');
    expect(env.GIT_TERMINAL_PROMPT).toBe('0');
    expect(env.PATH).toBe('/bin');
    expect(env.GIT_CONFIG_COUNT).toBeUndefined();
  });

  it("passes a PAT as an http.extraHeader for the remote's organization through GIT_CONFIG_*, never elsewhere", () => {
    const env = gitEnv({}, { auth: { kind: 'pat', token: 'abc' }, scopes: ['https://dev.azure.com/fabrikam/'] });
    expect(env.GIT_CONFIG_COUNT).toBe('3');
    expect(env.GIT_CONFIG_KEY_0).toBe('http.https://dev.azure.com/fabrikam/.extraHeader');
    expect(env.GIT_CONFIG_VALUE_0).toBe(`Authorization: Basic ${Buffer.from(':abc').toString('base64')}`);
    expect([env.GIT_CONFIG_KEY_1, env.GIT_CONFIG_VALUE_1]).toEqual(['credential.helper', '']);
    expect([env.GIT_CONFIG_KEY_2, env.GIT_CONFIG_VALUE_2]).toEqual(['http.followRedirects', 'false']);
    expect(authorizationHeader({ kind: 'bearer', token: 'tok' })).toBe('Authorization: Bearer tok');
  });

  it('sends the header to each URL prefix it is given, once each', () => {
    const env = gitEnv({}, { auth: { kind: 'pat', token: 'abc' }, scopes: ['https://dev.azure.com/Fabrikam/', 'https://fabrikam.visualstudio.com/', 'https://dev.azure.com/Fabrikam/'] });
    expect(env.GIT_CONFIG_COUNT).toBe('4');
    expect([env.GIT_CONFIG_KEY_0, env.GIT_CONFIG_KEY_1]).toEqual(['http.https://dev.azure.com/Fabrikam/.extraHeader', 'http.https://fabrikam.visualstudio.com/.extraHeader']);
  });

  it('appends to configuration the environment already carries', () => {
    const env = gitEnv({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.sslCAInfo', GIT_CONFIG_VALUE_0: '/ca.pem' }, { auth: { kind: 'pat', token: 'abc' }, scopes: ['https://dev.azure.com/o/'] });
    expect(env.GIT_CONFIG_COUNT).toBe('4');
    expect(env.GIT_CONFIG_KEY_0).toBe('http.sslCAInfo');
    expect(env.GIT_CONFIG_KEY_1).toBe('http.https://dev.azure.com/o/.extraHeader');
  });
});

describe('clone command line', () => {
  it('puts -- before the URL and the destination, options attached to their values', () => {
    expect(cloneArgs('https://dev.azure.com/o/p/_git/r', '/r/x', { branch: 'feature/a', partial: true, depth: 5 })).toEqual([
      'clone',
      '--progress',
      '--branch=feature/a',
      '--filter=blob:none',
      '--depth=5',
      '--',
      'https://dev.azure.com/o/p/_git/r',
      '/r/x',
    ]);
    expect(cloneArgs('u', '/d', {})).toEqual(['clone', '--progress', '--', 'u', '/d']);
  });
});

describe('names', () => {
  it.each(['main', 'refs/heads/feature/x', 'users/ann/fix-1', 'release-2.0'])('branch %s is fine', (name) => {
    expect(checkBranchName(name)).toBe(name.replace(/^refs\/heads\//, ''));
  });
  it.each(['-f', '--upload-pack=x', 'a..b', 'a b', 'a~1', 'a^', 'a:b', 'x.lock', 'a/', '/a', '.hidden', 'a/.b', 'a@{1}', '@', 'a\\b', 'a*'])('branch %s is refused', (name) => {
    expect(() => checkBranchName(name)).toThrow(/not a valid branch name/);
  });
  it.each(['-x', 'a b', 'a/b', 'x.lock', '..', '', 'CON', 'nul.txt', 'com\u00b9', 'fork.'])('remote name %j is refused', (name) => {
    expect(() => checkRemoteName(name)).toThrow(/not a valid remote name/);
  });
});

describe('reading git output', () => {
  it.each([
    ["fatal: Authentication failed for 'https://dev.azure.com/o/p/_git/r/'", 'AUTH_FAILED'],
    ["fatal: could not read Username for 'https://dev.azure.com': terminal prompts disabled", 'AUTH_FAILED'],
    ["fatal: unable to access 'https://x/': The requested URL returned error: 403", 'AUTH_FAILED'],
    ['warning: Could not find remote branch nope to clone.\nfatal: Remote branch nope not found in upstream origin', 'BRANCH_NOT_FOUND'],
    ["remote: TF401019: The Git repository with name or identifier r does not exist\nfatal: repository 'https://x/' not found", 'NOT_FOUND'],
    ["fatal: unable to access 'https://x/': Could not resolve host: x", 'NETWORK_FAILED'],
    ["fatal: unable to access 'https://127.0.0.1:1/': Failed to connect to 127.0.0.1 port 1 after 0 ms: Connection refused", 'NETWORK_FAILED'],
    ['git@ssh.dev.azure.com: Permission denied (publickey).\nfatal: Could not read from remote repository.', 'AUTH_FAILED'],
    ['Host key verification failed.\r\nfatal: Could not read from remote repository.', 'AUTH_FAILED'],
    ['error: cannot run ssh: No such file or directory\nfatal: unable to fork', 'TOOL_MISSING'],
    ['fatal: something else entirely', 'GIT_FAILED'],
  ])('%s → %s', (stderr, code) => {
    const failure = classifyGitFailure(stderr);
    expect(failure.code).toBe(code);
    expect(failure.message.length).toBeGreaterThan(10);
  });

  it('quotes the line that tells: ssh’s own refusal, not git’s last line, which every SSH failure shares', () => {
    const refused = classifyGitFailure('git@ssh.dev.azure.com: Permission denied (publickey).\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.');
    expect(refused.message).toMatch(/\(git: git@ssh\.dev\.azure\.com: Permission denied \(publickey\)\.\)$/);
    expect(classifyGitFailure('Host key verification failed.\nfatal: Could not read from remote repository.').message).toMatch(/\(git: Host key verification failed\.\)$/);
    // Where git's last fatal line is the one that matched, it is still the one quoted.
    expect(classifyGitFailure("remote: TF401444: x\nfatal: unable to access 'https://x/': The requested URL returned error: 401").message).toMatch(/\(git: fatal: unable to access 'https:\/\/x\/': The requested URL returned error: 401\)$/);
  });

  it('says a full disk is full, quoting the line that says so, not the ref git could not update after it', () => {
    const full = classifyGitFailure(
      "Cloning into '/r/api'...\nReceiving objects: 100% (1234/1234), done.\nerror: could not write config file /r/api/.git/config: No space left on device\nfatal: unable to update refs/remotes/origin/HEAD",
    );
    expect(full).toEqual({
      code: 'CANNOT_WRITE',
      message: 'The disk that holds the clone folder is full. (git: error: could not write config file /r/api/.git/config: No space left on device)',
    });
    expect(classifyGitFailure('error: unable to create temporary file: Disk quota exceeded\nfatal: index-pack failed').code).toBe('CANNOT_WRITE');
  });

  it('reads remotes as configured, with different push URLs', () => {
    expect(parseRemoteConfig('remote.origin.url https://a\nremote.fork.url https://b\nremote.fork.pushurl https://c\nremote.my.fork.url https://d\n')).toEqual([
      { name: 'origin', fetchUrl: 'https://a' },
      { name: 'fork', fetchUrl: 'https://b', pushUrl: 'https://c' },
      { name: 'my.fork', fetchUrl: 'https://d' },
    ]);
  });
});

describe('ssh test answers in plain words', () => {
  it.each([
    ['remote: Shell access is not supported.\nshell request failed on channel 0', 1, true, /SSH works/],
    ['git@ssh.dev.azure.com: Permission denied (publickey).', 255, false, /did not accept any of your SSH keys/],
    ['Host key verification failed.', 255, false, /host key/],
    ['ssh: Could not resolve hostname ssh.dev.azure.com: Name or service not known', 255, false, /could not be found/],
    ['ssh: connect to host ssh.dev.azure.com port 22: Connection refused', 255, false, /could not be reached/],
    ['something odd', 255, false, /exit status 255.*something odd/],
  ] as const)('%s', (output, code, ok, summary) => {
    const result = describeSshTest('ssh.dev.azure.com', code, output);
    expect(result.ok).toBe(ok);
    expect(result.summary).toMatch(summary);
  });
});

describe('fetchedInto', () => {
  it('maps a ref through a fetch refspec, glob or exact, forced or not', () => {
    expect(fetchedInto('+refs/heads/*:refs/remotes/origin/*', 'refs/heads/feature/x')).toBe('refs/remotes/origin/feature/x');
    expect(fetchedInto('refs/heads/main:refs/remotes/origin/main', 'refs/heads/main')).toBe('refs/remotes/origin/main');
    expect(fetchedInto('+refs/heads/main:refs/remotes/origin/main', 'refs/heads/feature/x')).toBeUndefined();
    expect(fetchedInto('+refs/heads/feature/*:refs/remotes/origin/f/*', 'refs/heads/feature/x')).toBe('refs/remotes/origin/f/x');
    expect(fetchedInto('+refs/heads/feature/*:refs/remotes/origin/f/*', 'refs/heads/main')).toBeUndefined();
    // Negative refspecs and refspecs without a destination put nothing anywhere.
    expect(fetchedInto('^refs/heads/secret', 'refs/heads/secret')).toBeUndefined();
    expect(fetchedInto('refs/heads/main', 'refs/heads/main')).toBeUndefined();
  });
});
