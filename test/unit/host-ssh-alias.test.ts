import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkGitUrlOrAlias, sshHostName } from '../../src/host/ssh-alias';

// A stand-in ssh that answers `-G` as OpenSSH does, from a made-up ~/.ssh/config: two aliases of
// Azure DevOps (the cloud, a server the companion knows), one of another host, and anything else as itself.
const bin = mkdtempSync(join(tmpdir(), 'adoc-ssh-alias-'));
writeFileSync(
  join(bin, 'ssh'),
  `#!/bin/sh
[ "$1" = -G ] && [ "$2" = -- ] || exit 255
case "$3" in
  work-ado) echo 'user git'; echo 'hostname ssh.dev.azure.com'; echo 'port 22' ;;
  tfs-work) echo 'hostname TFS.Fabrikam.test' ;;
  lookalike) echo 'hostname ssh.dev.azure.com.evil.example' ;;
  *) echo "hostname $3" ;;
esac
`,
);
chmodSync(join(bin, 'ssh'), 0o755);
const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
const config = { cloneRoots: [], allowedHosts: ['tfs.fabrikam.test'] };
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe('an SSH host the user’s ~/.ssh/config names for Azure DevOps', () => {
  it('reads the host ssh would connect to', async () => {
    expect(await sshHostName('work-ado', env)).toBe('ssh.dev.azure.com');
    expect(await sshHostName('work-ado', { ...env, PATH: '/nonexistent' })).toBeUndefined();
  });

  it('passes when it leads to the cloud or a known server, over SSH only', async () => {
    expect(await checkGitUrlOrAlias('git@work-ado:v3/fabrikam/Platform/Platform', config, env)).toMatchObject({ transport: 'ssh', host: 'work-ado' });
    expect(await checkGitUrlOrAlias('ssh://tfs-work:22/tfs/DefaultCollection/Legacy/_git/tools', config, env)).toMatchObject({ transport: 'ssh', host: 'tfs-work' });
    // What is allowed anyway is not asked about.
    expect(await checkGitUrlOrAlias('git@ssh.dev.azure.com:v3/fabrikam/Platform/Platform', config, { ...env, PATH: '/nonexistent' })).toMatchObject({ host: 'ssh.dev.azure.com' });
  });

  it('is refused when it leads elsewhere, is no alias, or is https', async () => {
    for (const url of ['git@lookalike:v3/fabrikam/p/r', 'git@evil.example:v3/fabrikam/p/r', 'https://work-ado/fabrikam/_git/r']) {
      await expect(checkGitUrlOrAlias(url, config, env), url).rejects.toMatchObject({ code: 'HOST_NOT_ALLOWED' });
    }
    // No ssh to ask: refused as before, saying what would make it pass.
    await expect(checkGitUrlOrAlias('git@work-ado:v3/fabrikam/p/r', config, { ...env, PATH: '/nonexistent' })).rejects.toMatchObject({ code: 'HOST_NOT_ALLOWED', message: expect.stringMatching(/~\/\.ssh\/config/) });
    // A malformed URL is still refused as malformed.
    await expect(checkGitUrlOrAlias('git@-oProxyCommand=x:v3/a/b/c', config, env)).rejects.toMatchObject({ code: 'URL_REFUSED' });
  });
});
