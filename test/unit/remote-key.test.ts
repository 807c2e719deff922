import { describe, expect, it } from 'vitest';
import { remoteKey } from '../../src/background/handlers/companion';

describe('remoteKey', () => {
  it('gives one key to the URLs of one repository: user name, .git, case, and the project of a repository named like it', () => {
    const key = remoteKey('https://fabrikam@dev.azure.com/fabrikam/_git/Platform');
    for (const url of ['https://dev.azure.com/fabrikam/Platform/_git/Platform', 'https://dev.azure.com/fabrikam/platform/_git/Platform.git', 'https://dev.azure.com/fabrikam/_git/platform/']) {
      expect(remoteKey(url), url).toBe(key);
    }
  });

  it('keeps repositories apart whose project differs from their name', () => {
    expect(remoteKey('https://dev.azure.com/fabrikam/Security/_git/Platform')).not.toBe(remoteKey('https://dev.azure.com/fabrikam/_git/Platform'));
    expect(remoteKey('https://dev.azure.com/fabrikam/Platform/_git/platform-infra')).not.toBe(remoteKey('https://dev.azure.com/fabrikam/_git/platform-infra'));
  });
});
