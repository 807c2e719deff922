/** The companion reads `Host` lines of ~/.ssh/config as the real ssh does (`ssh -G`), line for line. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { upsertBlock } from '../../src/host/ssh-config-block';
import { identityFilesFor, type LocalSide } from '../../src/host/ssh-config-read';

const dir = mkdtempSync(join(tmpdir(), 'ssh-patterns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** This side as the companion sees it, with `dir` as the home (HOME): both it and ssh read relative Includes there. */
const local: LocalSide = { home: dir, user: userInfo().username, hostname: hostname(), uid: process.getuid?.(), env: { ...process.env, HOME: dir } };
const filesFor = (text: string, hosts: string[]) => identityFilesFor(text, hosts, local).named;

/** The IdentityFile values ssh resolves for `host` from `config` (and nothing else: -F skips the system file). */
function sshIdentityFiles(config: string, host: string): string[] {
  const path = join(dir, 'config');
  writeFileSync(path, config);
  const out = execFileSync('ssh', ['-G', '-F', path, '--', host], { encoding: 'utf8', env: { ...process.env, HOME: dir }, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').flatMap((l) => (l.startsWith('identityfile /keys/') ? [l.slice('identityfile '.length)] : []));
}

/**
 * The files ssh offers for `destination`, `~`, tokens and variables expanded (`ssh -G` prints them
 * as written): `ssh -v` names each, with a proxy that ends at once, so nothing leaves this computer.
 */
function sshOffers(config: string, destination: string): string[] {
  const path = join(dir, 'config');
  writeFileSync(path, config);
  const run = spawnSync('ssh', ['-v', '-F', path, '-o', 'ProxyCommand=true', '-o', 'BatchMode=yes', '--', destination], { encoding: 'utf8', env: local.env, timeout: 20_000 });
  return run.stderr.split(/\r?\n/).flatMap((l) => /^debug1: identity file (.+) type -?\d+$/.exec(l)?.slice(1).filter((file) => !file.endsWith('-cert')) ?? []);
}

// Lines with a mark of their own; each is tried for every host below, by ssh and by the companion.
const LINES = [
  'Host ssh.dev.azure.com',
  'Host *.azure.com',
  'Host **.azure.com',
  'Host *',
  'Host ssh.dev.azure.com vs-ssh.*',
  'Host ssh.dev.azure.co?',
  'Host ?ssh.dev.azure.com',
  'Host tfs.*',
  'Host tfs.contoso.com.*',
  'Host *.visualstudio.com *.contoso.com',
  'Host * !ssh.dev.azure.com',
  'Host !ssh.dev.azure.com *',
  'Host ssh.dev.azure.com !*.azure.com',
  'Host !github.com',
  'Host !!ssh.dev.azure.com *',
  'Host SSH.dev.azure.com',
  'Host *.AZURE.com',
  'Host !SSH.DEV.AZURE.COM *',
  'Host github.com # ssh.dev.azure.com',
  'Host github.com a#b tfs.contoso.com',
  `Host "ssh.dev.azure.com" 'tfs.contoso.com'`,
  'Host "vs-ssh visualstudio.com" vs-ssh.visualstudio.com',
  'Host ssh\\.dev.azure.com',
  'Host=vs-ssh.visualstudio.com',
  '  HOST  =  tfs.contoso.com',
  'Host\tssh.dev.azure.com',
];
const HOSTS = ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com', 'tfs.contoso.com', 'github.com', 'SSH.dev.azure.com'];

describe('Host lines, as ssh reads them', () => {
  it('give a key to exactly the hosts ssh gives it to', () => {
    const config = LINES.map((line, i) => `${line}\n  IdentityFile /keys/${i}\n`).join('');
    for (const host of HOSTS) {
      const companion = filesFor(config, [host]).map((n) => n.identityFile);
      expect(companion, host).toEqual(sshIdentityFiles(config, host));
    }
  });

  it('a Match section ssh applies counts for no host: what a Match gives cannot be told without ssh', () => {
    const config = 'Match host ssh.dev.azure.com\n  IdentityFile /keys/match\n';
    expect(sshIdentityFiles(config, 'ssh.dev.azure.com')).toEqual(['/keys/match']);
    expect(filesFor(config, ['ssh.dev.azure.com'])).toEqual([]);
    // Said as such: ssh applies it here, and the companion cannot tell.
    expect(identityFilesFor(config, ['ssh.dev.azure.com'], local).matchFiles).toEqual([join(dir, '.ssh', 'config')]);
  });
});

describe('IdentityFile lines and sections, as ssh reads them', () => {
  it('give the keys ssh gives: any spelling of the line, lines before any section, lines after the block’s end', () => {
    const { text: withBlock } = upsertBlock('IdentityFile /keys/global\n', { hosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'], identityFile: '/keys/block' });
    const config = [
      withBlock,
      'identityfile /keys/after # mine',
      'Host vs-ssh.visualstudio.com github.com',
      '  IdentityFile=/keys/equals',
      '\tIDENTITYFILE\t"/keys/quoted key" #work',
      '  IdentityFile = /keys/spaced\t',
      'Host *',
      "  IdentityFile '/keys/single'",
      '',
    ].join('\n');
    for (const host of ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com', 'github.com']) {
      expect(filesFor(config, [host]).map((n) => n.identityFile), host).toEqual(sshIdentityFiles(config, host));
    }
    expect(sshIdentityFiles(config, 'ssh.dev.azure.com')).toEqual(['/keys/global', '/keys/block', '/keys/after', '/keys/single']);
  });

  it('a line ssh refuses gives no key (ssh refuses the whole file)', () => {
    for (const line of ['IdentityFile /keys/a extra', 'IdentityFile ""', 'IdentityFile "/keys/open']) {
      const config = `Host ssh.dev.azure.com\n  ${line}\n`;
      expect(() => sshIdentityFiles(config, 'ssh.dev.azure.com'), line).toThrow();
      expect(filesFor(config, ['ssh.dev.azure.com']), line).toEqual([]);
    }
  });
});

describe('Include, as ssh reads it', () => {
  it('reads the files named where the Include stands, for the hosts its section applies to: relative to ~/.ssh, globs, nested', () => {
    const files: Record<string, string> = {
      '.ssh/conf.d/a': 'Host ssh.dev.azure.com\n  IdentityFile /keys/a\n',
      '.ssh/conf.d/b.conf': 'IdentityFile /keys/b-section\nHost *\n  IdentityFile /keys/b-star\n',
      '.ssh/conf.d/.hidden': 'IdentityFile /keys/hidden\n',
      '.ssh/conf.d/c': `Include ${join(dir, 'nested')}\n`,
      nested: 'Host tfs.contoso.com\n  IdentityFile /keys/nested\n',
      'other/x1': 'IdentityFile /keys/x1\n',
      'other/x2': 'IdentityFile /keys/x2\n',
      'other/xa': 'IdentityFile /keys/xa\n',
      'other/y': 'IdentityFile /keys/y\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const config = [
      'Host github.com',
      '  Include conf.d/*',
      'Host ssh.dev.azure.com vs-ssh.visualstudio.com tfs.contoso.com',
      '  Include conf.d/[abc]*',
      // The section goes on after the included files, whatever sections they had.
      '  IdentityFile /keys/after-include',
      'Host *',
      `  Include ${join(dir, 'other')}/x[0-9] ${join(dir, 'other')}/? missing/*`,
      'IdentityFile /keys/last',
      '',
    ].join('\n');
    for (const host of ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com', 'tfs.contoso.com', 'github.com']) {
      // ssh names a file once, where it first met it.
      const companion = [...new Set(filesFor(config, [host]).map((n) => n.identityFile))];
      expect(companion, host).toEqual(sshIdentityFiles(config, host));
    }
    expect(sshIdentityFiles(config, 'tfs.contoso.com')).toEqual(['/keys/b-section', '/keys/b-star', '/keys/nested', '/keys/after-include', '/keys/x1', '/keys/x2', '/keys/y', '/keys/last']);
  });

  it('globs as ssh does: `*` `?` `[…]` `[!…]` within a part, no hidden file unless named, in sorted order', () => {
    for (const name of ['b', 'a', 'a1', '.h', 'c.conf', 'd/x', 'e/x', 'e/y']) {
      mkdirSync(join(dir, '.ssh/g', name, '..'), { recursive: true });
      writeFileSync(join(dir, '.ssh/g', name), `IdentityFile /keys/${name}\n`);
    }
    for (const include of ['g/*', 'g/? g/*.conf g/[!ab]* g/.*', 'g/*/x g/[a-c]1 g/[.]h', 'g/none/* g/missing']) {
      const config = `Include ${include}\n`;
      expect([...new Set(filesFor(config, ['ssh.dev.azure.com']).map((n) => n.identityFile))], include).toEqual(sshIdentityFiles(config, 'ssh.dev.azure.com'));
    }
    expect(sshIdentityFiles('Include g/*/x g/[a-c]1\n', 'ssh.dev.azure.com')).toEqual(['/keys/d/x', '/keys/e/x', '/keys/a1']);
  });
});

describe('% tokens, ${VAR} and ~ in IdentityFile, as ssh expands them', () => {
  it('name the files ssh offers, for ssh.dev.azure.com (as git) and a server (its HostName too)', () => {
    const config = [
      'Host tfs.contoso.com',
      '  HostName TFS.%h.Example',
      '  HostName second.example',
      'Host *',
      '  IdentityFile /keys/%h/%n',
      '  IdentityFile ~/keys/%d/%u-%l-%L-%i-%%',
      '  IdentityFile ${HOME}/keys/env',
      `  IdentityFile ~${userInfo().username}/keys/own-home`,
      'Host ssh.dev.azure.com',
      '  IdentityFile /keys/%r',
      '',
    ].join('\n');
    // ssh expands `~` and %d to the home the system gives the user, ${HOME} to the environment's.
    const side = { ...local, home: userInfo().homedir };
    for (const [host, destination] of [
      ['ssh.dev.azure.com', 'git@ssh.dev.azure.com'],
      ['tfs.contoso.com', 'tfs.contoso.com'],
    ] as const) {
      const offered = sshOffers(config, destination);
      expect(offered.length, destination).toBeGreaterThanOrEqual(4);
      expect(identityFilesFor(config, [host], side).named.map((n) => n.identityFile), destination).toEqual(offered);
    }
    expect(sshOffers(config, 'tfs.contoso.com')[0]).toBe('/keys/tfs.tfs.contoso.com.example/tfs.contoso.com');
    expect(sshOffers(config, 'git@ssh.dev.azure.com').at(-1)).toBe('/keys/git');
  });
});

