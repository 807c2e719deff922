import { describe, expect, it } from 'vitest';
import { extensionPath, syncOnPremContentScripts, type ScriptingApi } from '../../src/background/onprem-scripts';
import { isRepo } from '../../src/shared/ado/urls';
import { grantingPatterns, onPremServers, Profile } from '../../src/shared/profile';

const onprem = (id: string, collectionUrl: string) =>
  Profile.parse({ id, name: id, host: { kind: 'onprem', collectionUrl }, organization: 'DefaultCollection', auth: 'pat' });
const cloud = Profile.parse({ id: 'c', name: 'c', host: { kind: 'cloud' }, organization: 'fabrikam', auth: 'pat' });

describe('Azure DevOps Server hosts', () => {
  it('turns collection URLs into the server entries page detection needs', () => {
    const servers = onPremServers([cloud, onprem('a', 'https://tfs.fabrikam.test/tfs/DefaultCollection/'), onprem('b', 'https://ado.corp.example:8080/Main')]);
    expect(servers).toEqual(['https://tfs.fabrikam.test/tfs', 'https://ado.corp.example:8080']);
    expect(isRepo('https://tfs.fabrikam.test/tfs/DefaultCollection/Platform/_git/Platform', { onPremHosts: servers })).toBe(true);
    expect(isRepo('https://ado.corp.example:8080/Main/Web/_git/site', { onPremHosts: servers })).toBe(true);
    expect(isRepo('https://tfs.fabrikam.test/tfs/DefaultCollection/Platform/_git/Platform')).toBe(false);
  });

  it('registers the content script only for granted origins, and replaces the old registration', async () => {
    const calls: string[] = [];
    let registered: { id: string }[] = [{ id: 'ado-companion-onprem' }];
    const scripting: ScriptingApi = {
      getRegisteredContentScripts: async () => registered,
      registerContentScripts: async (s) => {
        calls.push(`register ${s[0]!.matches.join(' ')}`);
        registered = s;
      },
      unregisterContentScripts: async ({ ids }) => {
        calls.push(`unregister ${ids.join(' ')}`);
        registered = [];
      },
    };
    const granted = new Set(['https://tfs.fabrikam.test/*']);
    const profiles = [cloud, onprem('a', 'https://tfs.fabrikam.test/tfs/DefaultCollection'), onprem('b', 'https://other.example/tfs/X')];
    const wanted = await syncOnPremContentScripts(profiles, { scripting, hasPermission: async ([o]) => granted.has(o!), contentScript: 'src/content/index.js' });
    expect(wanted).toEqual(['https://tfs.fabrikam.test/*']);
    expect(calls).toEqual(['unregister ado-companion-onprem', 'register https://tfs.fabrikam.test/*']);
    calls.length = 0;
    granted.clear();
    expect(await syncOnPremContentScripts(profiles, { scripting, hasPermission: async ([o]) => granted.has(o!), contentScript: 'x' })).toEqual([]);
    expect(calls).toEqual(['unregister ado-companion-onprem']);
  });

  it('registers the manifest’s content script by its path in the extension, as Firefox’s full URL would be refused', () => {
    expect(extensionPath('moz-extension://42104a2e/src/content/index.js', 'moz-extension://42104a2e/')).toBe('src/content/index.js');
    expect(extensionPath('src/content/index.js', 'chrome-extension://abc/')).toBe('src/content/index.js');
  });

  it('registers a server on another port by its host alone, as the permission was asked', async () => {
    let matches: string[] = [];
    const scripting: ScriptingApi = {
      getRegisteredContentScripts: async () => [],
      registerContentScripts: async (s) => void (matches = s[0]!.matches),
      unregisterContentScripts: async () => undefined,
    };
    const asked: string[] = [];
    const profiles = [onprem('a', 'https://tfs.fabrikam.test:8443/tfs/DefaultCollection'), onprem('b', 'http://tfs:8080/tfs/DefaultCollection')];
    await syncOnPremContentScripts(profiles, { scripting, hasPermission: async ([o]) => (asked.push(o!), true), contentScript: 'x' });
    expect(asked).toEqual(['https://tfs.fabrikam.test/*', 'http://tfs/*']);
    expect(matches).toEqual(['https://tfs.fabrikam.test/*', 'http://tfs/*']);
  });

  it('still serves a server whose access an earlier version was granted with its port (Chrome honours it), asking for none anew', async () => {
    let matches: string[] = [];
    const scripting: ScriptingApi = {
      getRegisteredContentScripts: async () => [],
      registerContentScripts: async (s) => void (matches = s[0]!.matches),
      unregisterContentScripts: async () => undefined,
    };
    const granted = new Set(['https://tfs.fabrikam.test:8443/*']);
    const profiles = [onprem('a', 'https://tfs.fabrikam.test:8443/tfs/DefaultCollection'), onprem('b', 'https://other.example:8443/tfs/X')];
    expect(await syncOnPremContentScripts(profiles, { scripting, hasPermission: async ([o]) => granted.has(o!), contentScript: 'x' })).toEqual(['https://tfs.fabrikam.test:8443/*']);
    expect(matches).toEqual(['https://tfs.fabrikam.test:8443/*']);
    expect(grantingPatterns('https://tfs.fabrikam.test:8443/tfs/DefaultCollection')).toEqual(['https://tfs.fabrikam.test/*', 'https://tfs.fabrikam.test:8443/*']);
    expect(grantingPatterns('https://tfs.fabrikam.test/tfs/DefaultCollection')).toEqual(['https://tfs.fabrikam.test/*']);
  });
});
