import { describe, expect, it } from 'vitest';
import type { CompanionConfig } from '../../src/host/config';
import { checkGitUrl, parseGitUrl } from '../../src/host/git-url';
import { HostError } from '../../src/host/host-error';

const config: CompanionConfig = { cloneRoots: ['/r'], allowedHosts: ['tfs.contoso.com'] };

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof HostError ? error.code : `not a HostError: ${String(error)}`;
  }
  return 'accepted';
};

describe('git URL checks', () => {
  it.each([
    ['https://fabrikam@dev.azure.com/fabrikam/Platform/_git/api', 'https', 'dev.azure.com'],
    ['https://dev.azure.com/fabrikam/My%20Project/_git/My%20Repo', 'https', 'dev.azure.com'],
    ['https://fabrikam.visualstudio.com/DefaultCollection/Platform/_git/api', 'https', 'fabrikam.visualstudio.com'],
    ['git@ssh.dev.azure.com:v3/fabrikam/Platform/api', 'ssh', 'ssh.dev.azure.com'],
    ['fabrikam@vs-ssh.visualstudio.com:v3/fabrikam/Platform/api', 'ssh', 'vs-ssh.visualstudio.com'],
    ['ssh://git@ssh.dev.azure.com/v3/fabrikam/Platform/api', 'ssh', 'ssh.dev.azure.com'],
    ['https://tfs.contoso.com:8080/tfs/DefaultCollection/P/_git/r', 'https', 'tfs.contoso.com'],
    ['ssh://tfs.contoso.com:22/DefaultCollection/P/_git/r', 'ssh', 'tfs.contoso.com'],
    ['HTTPS://DEV.AZURE.COM/o/p/_git/r', 'https', 'dev.azure.com'],
  ])('accepts %s', (url, transport, host) => {
    expect(checkGitUrl(url, config)).toMatchObject({ url, transport, host });
  });

  it.each([
    ['git@ssh.dev.azure.com:v3/fabrikam/Platform/api', { user: 'git' }],
    ['ssh.dev.azure.com:v3/fabrikam/Platform/api', {}],
    ['ssh://git@ssh.dev.azure.com/v3/fabrikam/Platform/api', { user: 'git' }],
    ['ssh://tfs.contoso.com:2222/DefaultCollection/P/_git/r', { port: '2222' }],
    ['ssh://fabrikam@vs-ssh.visualstudio.com:22/v3/fabrikam/P/r', { user: 'fabrikam', port: '22' }],
    ['https://build@dev.azure.com:443/o/p/_git/r', {}],
  ])('keeps the SSH user and port git gives ssh: %s', (url, parts) => {
    const { user, port } = parseGitUrl(url);
    expect({ ...(user && { user }), ...(port && { port }) }).toEqual(parts);
  });

  it.each([
    ['-uhttps://dev.azure.com/o/p/_git/r', 'URL_REFUSED'],
    ['--upload-pack=touch /tmp/x', 'URL_REFUSED'],
    ['ext::sh -c touch% /tmp/pwned', 'URL_REFUSED'],
    ['ext::ssh dev.azure.com', 'URL_REFUSED'],
    ['file:///etc', 'URL_REFUSED'],
    ['file://dev.azure.com/o/p', 'URL_REFUSED'],
    ['http://dev.azure.com/o/p/_git/r', 'URL_REFUSED'],
    ['git://dev.azure.com/o/p/_git/r', 'URL_REFUSED'],
    ['ftp://dev.azure.com/o/p', 'URL_REFUSED'],
    ['git+ssh://git@ssh.dev.azure.com/v3/o/p/r', 'URL_REFUSED'],
    ['fd::17', 'URL_REFUSED'],
    ['/home/user/repo', 'URL_REFUSED'],
    ['./repo', 'URL_REFUSED'],
    ['C:\\repo', 'URL_REFUSED'],
    ['c:repo', 'URL_REFUSED'],
    ['https://user:secret@dev.azure.com/o/p/_git/r', 'URL_REFUSED'],
    ['https://dev.azure.com/o/p/_git/r?x=1', 'URL_REFUSED'],
    ['https://dev.azure.com/o/p/_git/r#frag', 'URL_REFUSED'],
    ['https://dev.azure.com/', 'URL_REFUSED'],
    ['https://dev.azure.com', 'URL_REFUSED'],
    ['https://evil.com\\@dev.azure.com/o/p/_git/r', 'URL_REFUSED'],
    ['https://dev.azure.com /o', 'URL_REFUSED'],
    ['https://dev.azure.com/o/p/_git/r\n', 'URL_REFUSED'],
    ['git@ssh.dev.azure.com:-oProxyCommand=x', 'URL_REFUSED'],
    ['-oProxyCommand=x@ssh.dev.azure.com:v3/o', 'URL_REFUSED'],
    ['ssh://-oProxyCommand=x/v3/o', 'URL_REFUSED'],
    ['ssh://-oFoo@ssh.dev.azure.com/v3/o', 'URL_REFUSED'],
    ['git@ssh.dev.azure.com:v3/o/p/r@x', 'URL_REFUSED'],
    ['https://evil.example.com/o/p/_git/r', 'HOST_NOT_ALLOWED'],
    ['https://dev.azure.com.evil.com/o/p/_git/r', 'HOST_NOT_ALLOWED'],
    ['https://dev.azure.com@evil.com/o/p/_git/r', 'HOST_NOT_ALLOWED'],
    ['https://visualstudio.com/o/p/_git/r', 'HOST_NOT_ALLOWED'],
    ['https://evilvisualstudio.com/o/p/_git/r', 'HOST_NOT_ALLOWED'],
    ['git@github.com:owner/repo.git', 'HOST_NOT_ALLOWED'],
    ['https://127.0.0.1/o/p/_git/r', 'HOST_NOT_ALLOWED'],
  ])('refuses %s with %s', (url, code) => {
    expect(codeOf(() => checkGitUrl(url, config))).toBe(code);
  });

  it('allows a configured on-prem host only when configured', () => {
    const url = 'https://tfs.contoso.com/tfs/C/P/_git/r';
    expect(codeOf(() => checkGitUrl(url, config))).toBe('accepted');
    expect(codeOf(() => checkGitUrl(url, { ...config, allowedHosts: [] }))).toBe('HOST_NOT_ALLOWED');
  });

  it('parses without a host check', () => {
    expect(parseGitUrl('https://example.com/x').host).toBe('example.com');
  });
});
