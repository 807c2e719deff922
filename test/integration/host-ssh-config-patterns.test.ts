/** The companion reads `Host` lines of ~/.ssh/config as the real ssh does (`ssh -G`), line for line. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { upsertBlock } from '../../src/host/ssh-config-block';
import { identityFilesFor } from '../../src/host/ssh-config-read';

const dir = mkdtempSync(join(tmpdir(), 'ssh-patterns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The IdentityFile values ssh resolves for `host` from `config` (and nothing else: -F skips the system file). */
function sshIdentityFiles(config: string, host: string): string[] {
  const path = join(dir, 'config');
  writeFileSync(path, config);
  const out = execFileSync('ssh', ['-G', '-F', path, '--', host], { encoding: 'utf8', env: { ...process.env, HOME: dir }, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').flatMap((l) => (l.startsWith('identityfile /keys/') ? [l.slice('identityfile '.length)] : []));
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
      const companion = identityFilesFor(config, [host]).map((n) => n.identityFile);
      expect(companion, host).toEqual(sshIdentityFiles(config, host));
    }
  });

  it('a Match section ssh applies counts for no host: what a Match gives cannot be told without ssh', () => {
    const config = 'Match host ssh.dev.azure.com\n  IdentityFile /keys/match\n';
    expect(sshIdentityFiles(config, 'ssh.dev.azure.com')).toEqual(['/keys/match']);
    expect(identityFilesFor(config, ['ssh.dev.azure.com'])).toEqual([]);
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
      expect(identityFilesFor(config, [host]).map((n) => n.identityFile), host).toEqual(sshIdentityFiles(config, host));
    }
    expect(sshIdentityFiles(config, 'ssh.dev.azure.com')).toEqual(['/keys/global', '/keys/block', '/keys/after', '/keys/single']);
  });

  it('a line ssh refuses gives no key (ssh refuses the whole file)', () => {
    for (const line of ['IdentityFile /keys/a extra', 'IdentityFile ""', 'IdentityFile "/keys/open']) {
      const config = `Host ssh.dev.azure.com\n  ${line}\n`;
      expect(() => sshIdentityFiles(config, 'ssh.dev.azure.com'), line).toThrow();
      expect(identityFilesFor(config, ['ssh.dev.azure.com']), line).toEqual([]);
    }
  });
});

