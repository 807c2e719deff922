import { describe, expect, it } from 'vitest';
import { noHooksDir } from '../../src/host/companion-dirs';
import { checkTokenDestination, tokenScope, withinOrganization } from '../../src/host/git-url';

describe('withinOrganization: where an organization-bound token may go', () => {
  const inside: Array<[string, string]> = [
    ['https://fabrikam@dev.azure.com/fabrikam/Platform/_git/Platform', 'https://dev.azure.com/fabrikam'],
    ['https://dev.azure.com/Fabrikam/p/_git/r', 'https://dev.azure.com/fabrikam/'],
    ['https://fabrikam.visualstudio.com/DefaultCollection/p/_git/r', 'https://dev.azure.com/fabrikam'],
    ['https://dev.azure.com/fabrikam/p/_git/r', 'https://fabrikam.visualstudio.com'],
    ['https://tfs.example:8443/tfs/Main/p/_git/r', 'https://tfs.example:8443/tfs/main'],
    ['https://dev.azure.com/my%20org/p/_git/r', 'https://dev.azure.com/my%20org'],
    // A user's insteadOf may add a port (the sandbox's does).
    ['https://dev.azure.com:8443/fabrikam/p/_git/r', 'https://dev.azure.com/fabrikam'],
    ['https://tfs.example/tfs/Main/p/_git/r', 'https://tfs.example:8443/tfs/Main'],
  ];
  const outside: Array<[string, string]> = [
    ['https://dev.azure.com/contoso/p/_git/r', 'https://dev.azure.com/fabrikam'],
    ['https://dev.azure.com/fabrikam2/p/_git/r', 'https://dev.azure.com/fabrikam'],
    ['https://contoso.visualstudio.com/p/_git/r', 'https://dev.azure.com/fabrikam'],
    ['https://tfs.example:8443/tfs/Other/p/_git/r', 'https://tfs.example:8443/tfs/Main'],
    ['https://tfs.example:8443/tfs/MainX/p/_git/r', 'https://tfs.example:8443/tfs/Main'],
    ['https://evil.example/fabrikam/p/_git/r', 'https://dev.azure.com/fabrikam'],
    ['ssh://git@ssh.dev.azure.com/v3/fabrikam/p/r', 'https://dev.azure.com/fabrikam'],
    ['not a url', 'https://dev.azure.com/fabrikam'],
  ];
  it.each(inside)('%s is under %s', (url, org) => expect(withinOrganization(url, org)).toBe(true));
  it.each(outside)('%s is not under %s', (url, org) => expect(withinOrganization(url, org)).toBe(false));

  it('refuses with URL_REFUSED outside, and checks nothing for a token with no organization', () => {
    expect(() => checkTokenDestination('https://dev.azure.com/contoso/p/_git/r', { orgUrl: 'https://dev.azure.com/fabrikam' })).toThrow(
      expect.objectContaining({ code: 'URL_REFUSED' }),
    );
    expect(() => checkTokenDestination('https://dev.azure.com/contoso/p/_git/r', {})).not.toThrow();
  });
});

describe("tokenScope: the URL prefix a token's header is configured for (test/integration/host-token-scope.test.ts asks real git)", () => {
  it.each([
    ['https://fabrikam@dev.azure.com/Fabrikam/p/_git/r', 'https://dev.azure.com/fabrikam', 'https://dev.azure.com/Fabrikam/'],
    ['https://dev.azure.com:8443/fabrikam/p/_git/r', 'https://dev.azure.com/fabrikam/', 'https://dev.azure.com:8443/fabrikam/'],
    ['https://dev.azure.com:443/my%20org/p/_git/r', undefined, 'https://dev.azure.com/my%20org/'],
    ['https://fabrikam.visualstudio.com/DefaultCollection/p/_git/r', 'https://dev.azure.com/fabrikam', 'https://fabrikam.visualstudio.com/'],
    ['https://tfs.example/tfs/defaultcollection/p/_git/r', 'https://tfs.example/tfs/DefaultCollection/', 'https://tfs.example/tfs/defaultcollection/'],
    ['https://tfs.example/tfs/Main/p/_git/r', undefined, 'https://tfs.example/'],
  ])('%s, organization %s: %s', (url, orgUrl, scope) => expect(tokenScope(url, orgUrl)).toBe(scope));
});

describe('noHooksDir', () => {
  it("is /dev/null on POSIX, and on Windows a folder below the user's own state folder (not \\\\dev\\\\null on the drive)", () => {
    expect(noHooksDir('linux', {}, '/home/a')).toBe('/dev/null');
    expect(noHooksDir('darwin', {}, '/Users/a')).toBe('/dev/null');
    expect(noHooksDir('win32', { LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'C:\\Users\\a')).toBe('C:\\Users\\a\\AppData\\Local\\ado-companion\\state\\no-hooks');
    expect(noHooksDir('win32', {}, 'C:\\Users\\a')).toBe('C:\\Users\\a\\AppData\\Local\\ado-companion\\state\\no-hooks');
  });
});
