import { describe, expect, it } from 'vitest';
import { freeName, offeredNames, remoteNamed } from '../../src/content/fork-remotes';

const fork = { remoteUrl: 'https://fabrikam@dev.azure.com/fabrikam/Security/_git/platform-fork', sshUrl: 'git@ssh.dev.azure.com:v3/fabrikam/Security/platform-fork' };

describe('remoteNamed', () => {
  it('finds the remote that is the repository, whichever of its URLs the clone was given', () => {
    const remotes = [{ name: 'origin', key: 'fabrikam/platform/platform' }, { name: 'sec', key: 'fabrikam/security/platform-fork' }];
    expect(remoteNamed(remotes, fork)).toBe('sec');
    expect(remoteNamed(remotes, { sshUrl: fork.sshUrl })).toBe('sec');
    // The project left out when it is the repository's name: one repository all the same.
    expect(remoteNamed(remotes, { remoteUrl: 'https://dev.azure.com/fabrikam/_git/Platform' })).toBe('origin');
  });

  it('finds nothing for a repository the clone has no remote of, nor by a remote of unknown repository', () => {
    expect(remoteNamed([{ name: 'origin', key: 'fabrikam/platform/platform' }, { name: 'security' }], fork)).toBeUndefined();
    expect(remoteNamed([{ name: 'x' }], {})).toBeUndefined();
  });
});

describe('freeName', () => {
  it('keeps a name nobody has, else numbers it from 2', () => {
    expect(freeName('upstream', ['origin'])).toBe('upstream');
    expect(freeName('upstream', ['origin', 'upstream'])).toBe('upstream-2');
    expect(freeName('security', ['security', 'security-2'])).toBe('security-3');
  });

  it('counts a name in another case as taken (one folder of remote branches on Windows and macOS)', () => {
    expect(freeName('security', ['Security'])).toBe('security-2');
  });
});

describe('offeredNames', () => {
  it("offers each row its own name: two forks from one project, and a name the clone has, are not offered twice", () => {
    const offered = offeredNames(
      [
        { id: 'parent', base: 'upstream' },
        { id: 'a', base: 'security' },
        { id: 'b', base: 'security' },
        { id: 'c', base: 'mobile' },
      ],
      ['origin', 'upstream'],
    );
    expect(Object.fromEntries(offered)).toEqual({ parent: 'upstream-2', a: 'security', b: 'security-2', c: 'mobile' });
  });
});
