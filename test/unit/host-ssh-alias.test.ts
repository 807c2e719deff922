import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseGitUrl } from '../../src/host/git-url';
import { checkGitUrlOrAlias, sshHostName } from '../../src/host/ssh-alias';

// A stand-in ssh that answers `-G [-l user] [-p port] -- host` as OpenSSH does, from a made-up
// ~/.ssh/config: two aliases of Azure DevOps (the cloud, a server the companion knows), one of
// another host, a `Match user` that sends one user of an alias elsewhere, and anything else as itself.
const dir = mkdtempSync(join(tmpdir(), 'adoc-ssh-alias-'));
writeFileSync(
  join(dir, 'ssh'),
  `#!/bin/sh
[ "$1" = -G ] || exit 255
user=; port=22
shift
while [ "$1" != -- ]; do case "$1" in -l) user=$2; shift 2 ;; -p) port=$2; shift 2 ;; *) exit 255 ;; esac; done
case "$user/$2/$port" in
  evil/work-ado/*) echo 'hostname attacker.example' ;;
  */work-ado/22) echo 'user git'; echo 'hostname ssh.dev.azure.com' ;;
  */work-ado/*) echo 'hostname elsewhere.example' ;;
  */tfs-work/*) echo 'hostname TFS.Fabrikam.test' ;;
  */lookalike/*) echo 'hostname ssh.dev.azure.com.evil.example' ;;
  *) echo "hostname $2" ;;
esac
`,
);
chmodSync(join(dir, 'ssh'), 0o755);
// No user or system git configuration: git runs plain ssh.
const env = { ...process.env, PATH: `${dir}:${process.env.PATH}`, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_SSH_COMMAND: '', GIT_SSH: '' };
const config = { cloneRoots: [], allowedHosts: ['tfs.fabrikam.test'] };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an SSH host the user’s ~/.ssh/config names for Azure DevOps', () => {
  it('reads the host ssh would connect to, for the URL’s user and port', async () => {
    expect(await sshHostName(parseGitUrl('git@work-ado:v3/fabrikam/p/r'), env)).toBe('ssh.dev.azure.com');
    expect(await sshHostName(parseGitUrl('ssh://evil@work-ado/v3/fabrikam/p/r'), env)).toBe('attacker.example');
    expect(await sshHostName(parseGitUrl('ssh://git@work-ado:2222/v3/fabrikam/p/r'), env)).toBe('elsewhere.example');
  });

  it('passes when it leads to the cloud or a known server, over SSH only', async () => {
    expect(await checkGitUrlOrAlias('git@work-ado:v3/fabrikam/Platform/Platform', config, env)).toMatchObject({ transport: 'ssh', host: 'work-ado' });
    expect(await checkGitUrlOrAlias('ssh://tfs-work:22/tfs/DefaultCollection/Legacy/_git/tools', config, env)).toMatchObject({ transport: 'ssh', host: 'tfs-work' });
    // What is allowed anyway is not asked about.
    expect(await checkGitUrlOrAlias('git@ssh.dev.azure.com:v3/fabrikam/Platform/Platform', config, { ...env, PATH: '/nonexistent' })).toMatchObject({ host: 'ssh.dev.azure.com' });
  });

  it('is refused when it leads elsewhere (for the URL’s user or port too), is no alias, or is https', async () => {
    for (const url of ['git@lookalike:v3/fabrikam/p/r', 'git@evil.example:v3/fabrikam/p/r', 'ssh://evil@work-ado/v3/fabrikam/p/r', 'ssh://git@work-ado:2222/v3/fabrikam/p/r', 'https://work-ado/fabrikam/_git/r']) {
      await expect(checkGitUrlOrAlias(url, config, env), url).rejects.toMatchObject({ code: 'HOST_NOT_ALLOWED', message: expect.stringMatching(/work-ado|lookalike|evil\.example/) });
    }
    // A malformed URL is still refused as malformed.
    await expect(checkGitUrlOrAlias('git@-oProxyCommand=x:v3/a/b/c', config, env)).rejects.toMatchObject({ code: 'URL_REFUSED' });
  });

  it('is not asked where git runs an ssh command of the user’s own, whose configuration ssh -G would not read', async () => {
    const own = join(dir, 'gitconfig');
    writeFileSync(own, '[core]\n\tsshCommand = ssh -F ~/.ssh/work_config\n');
    for (const other of [{ GIT_SSH_COMMAND: 'plink' }, { GIT_SSH: '/usr/bin/plink' }, { GIT_CONFIG_GLOBAL: own }]) {
      await expect(checkGitUrlOrAlias('git@work-ado:v3/fabrikam/p/r', config, { ...env, ...other }), JSON.stringify(other)).rejects.toMatchObject({ code: 'HOST_NOT_ALLOWED' });
    }
  });

  it('says ssh is missing, rather than that the host is unknown', async () => {
    // git alone on the PATH.
    const gitOnly = join(dir, 'git-only');
    mkdirSync(gitOnly);
    const git = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    symlinkSync(git, join(gitOnly, 'git'));
    await expect(checkGitUrlOrAlias('git@work-ado:v3/fabrikam/p/r', config, { ...env, PATH: gitOnly })).rejects.toMatchObject({ code: 'TOOL_MISSING' });
  });
});
