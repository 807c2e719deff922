import { describe, expect, it } from 'vitest';
import { repoUrlInOrg, repoUrlKey } from '../../src/shared/ado/repo-url-key';

/** The popup and the background find a repository's clone by any of its remotes' URLs through this one key. */
describe('repoUrlKey', () => {
  it('gives every form of one Azure DevOps Services URL the same key', () => {
    const forms = [
      'https://fabrikam@dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/fabrikam-web',
      'https://dev.azure.com/fabrikam/Fabrikam Fiber/_git/fabrikam-web',
      'https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/fabrikam-web.git',
      'https://fabrikam.visualstudio.com/Fabrikam%20Fiber/_git/fabrikam-web',
      'https://fabrikam.visualstudio.com/DefaultCollection/Fabrikam%20Fiber/_git/fabrikam-web/',
      'git@ssh.dev.azure.com:v3/fabrikam/Fabrikam%20Fiber/fabrikam-web',
      'ssh://git@ssh.dev.azure.com/v3/fabrikam/Fabrikam%20Fiber/fabrikam-web',
      'fabrikam@vs-ssh.visualstudio.com:v3/fabrikam/Fabrikam%20Fiber/fabrikam-web',
      // No user: ~/.ssh/config's `User git` gives it.
      'ssh.dev.azure.com:v3/fabrikam/Fabrikam%20Fiber/fabrikam-web',
      // The SSH forms of 2017, before and after that November (kenmuse.com/blog/vsts-ssh).
      'ssh://fabrikam@fabrikam.visualstudio.com:22/DefaultCollection/Fabrikam%20Fiber/_git/fabrikam-web',
      'ssh://fabrikam@vs-ssh.visualstudio.com:22/Fabrikam%20Fiber/_ssh/fabrikam-web',
    ];
    for (const url of forms) expect(repoUrlKey(url), url).toBe('fabrikam/fabrikam fiber/fabrikam-web');
  });

  it('reads no folder as an SSH address', () => {
    expect(repoUrlKey('C:\\src\\fabrikam\\_git\\web')).toBeUndefined();
    expect(repoUrlKey('C:/src/fabrikam/Platform/_git/web')).toBeUndefined();
  });

  it('reads a URL without the project (repository named like its project) as that project', () => {
    expect(repoUrlKey('https://fabrikam@dev.azure.com/fabrikam/_git/Platform')).toBe('fabrikam/platform/platform');
    expect(repoUrlKey('git@ssh.dev.azure.com:v3/fabrikam/Platform/Platform')).toBe('fabrikam/platform/platform');
  });

  it('keeps the host for Azure DevOps Server, over HTTPS and SSH alike', () => {
    expect(repoUrlKey('https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_git/tfs-tools')).toBe('//tfs.fabrikam.test/tfs/defaultcollection/legacy/tfs-tools');
    expect(repoUrlKey('ssh://tfs.fabrikam.test:22/tfs/DefaultCollection/Legacy/_git/tfs-tools')).toBe('//tfs.fabrikam.test/tfs/defaultcollection/legacy/tfs-tools');
    expect(repoUrlKey('https://other.example/tfs/DefaultCollection/Legacy/_git/tfs-tools')).not.toBe(
      repoUrlKey('https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_git/tfs-tools'),
    );
  });

  it('reads a server URL without the project (repository named like its project) as that project', () => {
    const key = repoUrlKey('https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_git/Legacy');
    expect(repoUrlKey('https://tfs.fabrikam.test/tfs/DefaultCollection/_git/Legacy')).toBe(key);
    expect(repoUrlKey('https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_git/tfs-tools')).not.toBe(repoUrlKey('https://tfs.fabrikam.test/tfs/DefaultCollection/_git/tfs-tools'));
    // A server named like an organization is not that organization.
    expect(repoUrlKey('https://devops/DefaultCollection/_git/web')).not.toBe(repoUrlKey('https://dev.azure.com/devops/DefaultCollection/_git/web'));
  });

  it('answers nothing for what is not an Azure DevOps repository URL', () => {
    expect(repoUrlKey('https://github.com/fabrikam/web')).toBeUndefined();
    expect(repoUrlKey('file:///home/ada/src/web')).toBeUndefined();
    expect(repoUrlKey('not a url')).toBeUndefined();
    expect(repoUrlKey('https://dev.azure.com/fabrikam')).toBeUndefined();
    // The 2017 form names its organization only as the user.
    expect(repoUrlKey('ssh://vs-ssh.visualstudio.com:22/Fabrikam%20Fiber/_ssh/fabrikam-web')).toBeUndefined();
  });

  it('keeps repositories apart whose project differs from their name', () => {
    expect(repoUrlKey('https://dev.azure.com/fabrikam/Security/_git/Platform')).not.toBe(repoUrlKey('https://dev.azure.com/fabrikam/_git/Platform'));
    expect(repoUrlKey('https://dev.azure.com/fabrikam/Platform/_git/platform-infra')).not.toBe(repoUrlKey('https://dev.azure.com/fabrikam/_git/platform-infra'));
  });
});

describe('repoUrlInOrg', () => {
  it('places a clone URL of any form in its organization or collection, and no other', () => {
    const fabrikam = [
      'https://fabrikam@dev.azure.com/fabrikam/Platform/_git/api',
      'git@ssh.dev.azure.com:v3/fabrikam/Platform/api',
      'https://fabrikam.visualstudio.com/DefaultCollection/Platform/_git/api',
      'fabrikam@vs-ssh.visualstudio.com:v3/fabrikam/Platform/api',
    ];
    for (const org of ['https://dev.azure.com/fabrikam', 'https://dev.azure.com/Fabrikam/', 'https://fabrikam.visualstudio.com']) {
      for (const url of fabrikam) expect(repoUrlInOrg(url, org), `${url} in ${org}`).toBe(true);
    }
    for (const url of ['https://dev.azure.com/contoso/Platform/_git/api', 'https://dev.azure.com/fabrikam2/Platform/_git/api', 'https://tfs.fabrikam.test/fabrikam/Platform/_git/api', 'not a url']) {
      expect(repoUrlInOrg(url, 'https://dev.azure.com/fabrikam'), url).toBe(false);
    }
    const collection = 'https://tfs.fabrikam.test/tfs/DefaultCollection';
    expect(repoUrlInOrg('https://tfs.fabrikam.test/tfs/DefaultCollection/Platform/_git/api', collection)).toBe(true);
    expect(repoUrlInOrg('https://tfs.fabrikam.test/tfs/DefaultCollection/_git/Tools', collection)).toBe(true);
    expect(repoUrlInOrg('ssh://tfs.fabrikam.test:22/tfs/DefaultCollection/Platform/_git/api', collection)).toBe(true);
    expect(repoUrlInOrg('https://tfs.fabrikam.test/tfs/OtherCollection/Platform/_git/api', collection)).toBe(false);
    expect(repoUrlInOrg('https://tfs.contoso.test/tfs/DefaultCollection/Platform/_git/api', collection)).toBe(false);
    expect(repoUrlInOrg('https://dev.azure.com/fabrikam/Platform/_git/api', collection)).toBe(false);
  });

  it('keeps apart two servers on one host name by the port of an https or http URL', () => {
    const at8080 = 'https://ado.corp.example:8080/tfs/DefaultCollection';
    const at443 = 'https://ado.corp.example/tfs/DefaultCollection';
    expect(repoUrlInOrg('https://ado.corp.example/tfs/DefaultCollection/p/_git/r', at8080)).toBe(false);
    expect(repoUrlInOrg('https://ado.corp.example:8443/tfs/DefaultCollection/p/_git/r', at8080)).toBe(false);
    expect(repoUrlInOrg('https://ado.corp.example:8080/tfs/DefaultCollection/p/_git/r', at443)).toBe(false);
    expect(repoUrlInOrg('http://ado.corp.example/tfs/DefaultCollection/p/_git/r', at443)).toBe(false);
    // The default port, written or not; a user name; http on the collection's own port is that server.
    expect(repoUrlInOrg('https://ado.corp.example:8080/tfs/DefaultCollection/p/_git/r', at8080)).toBe(true);
    expect(repoUrlInOrg('https://ado.corp.example:443/tfs/DefaultCollection/p/_git/r', at443)).toBe(true);
    expect(repoUrlInOrg('https://ada@ado.corp.example/tfs/DefaultCollection/p/_git/r', `${at443}/`)).toBe(true);
    expect(repoUrlInOrg('http://ado.corp.example:8080/tfs/DefaultCollection/p/_git/r', at8080)).toBe(true);
    expect(repoUrlInOrg('http://ado.corp.example/tfs/DefaultCollection/p/_git/r', 'http://ado.corp.example:80/tfs/DefaultCollection')).toBe(true);
  });

  it('places a server\'s SSH URL by host name and collection path, as its port is not the web port', () => {
    for (const org of ['https://ado.corp.example:8080/tfs/DefaultCollection', 'https://ado.corp.example/tfs/DefaultCollection']) {
      expect(repoUrlInOrg('ssh://ado.corp.example:22/tfs/DefaultCollection/p/_git/r', org), org).toBe(true);
      expect(repoUrlInOrg('ssh://ado.corp.example:2222/tfs/DefaultCollection/p/_git/r', org), org).toBe(true);
      expect(repoUrlInOrg('git@ado.corp.example:tfs/DefaultCollection/p/_git/r', org), org).toBe(true);
      expect(repoUrlInOrg('ssh://ado.corp.example:22/tfs/OtherCollection/p/_git/r', org), org).toBe(false);
      expect(repoUrlInOrg('ssh://tfs.fabrikam.test:22/tfs/DefaultCollection/p/_git/r', org), org).toBe(false);
    }
  });

  it('leaves the port out for the cloud, one service at each of its host names', () => {
    expect(repoUrlInOrg('https://dev.azure.com:443/fabrikam/Platform/_git/api', 'https://dev.azure.com/fabrikam')).toBe(true);
    expect(repoUrlInOrg('https://dev.azure.com:8443/fabrikam/Platform/_git/api', 'https://dev.azure.com/fabrikam')).toBe(true);
    expect(repoUrlInOrg('https://fabrikam.visualstudio.com:8443/Platform/_git/api', 'https://dev.azure.com/fabrikam')).toBe(true);
    expect(repoUrlInOrg('ssh://git@ssh.dev.azure.com:22/v3/fabrikam/Platform/api', 'https://dev.azure.com/fabrikam')).toBe(true);
  });
});
