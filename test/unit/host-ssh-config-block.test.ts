import { describe, expect, it } from 'vitest';
import { BLOCK_END, BLOCK_START, readBlock, upsertBlock } from '../../src/host/ssh-config-block';
import { HostError } from '../../src/host/host-error';

const block = { hosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'], identityFile: '~/.ssh/id_rsa_azure_devops' };

describe('ssh config block', () => {
  it('writes a marked block into an empty file', () => {
    const { text, changed } = upsertBlock('', block);
    expect(changed).toBe(true);
    expect(text).toBe(
      [
        BLOCK_START,
        '# Written by the Azure DevOps Companion: it replaces the lines between these markers.',
        'Host ssh.dev.azure.com vs-ssh.visualstudio.com',
        '  IdentityFile ~/.ssh/id_rsa_azure_devops',
        '  IdentitiesOnly yes',
        BLOCK_END,
        '',
      ].join('\n'),
    );
  });

  it('is idempotent', () => {
    const once = upsertBlock('Host github.com\n  User git\n', block).text;
    const twice = upsertBlock(once, block);
    expect(twice.changed).toBe(false);
    expect(twice.text).toBe(once);
  });

  it('goes after the global lines and before the first Host section, leaving both intact', () => {
    const original = '# mine\nServerAliveInterval 60\nInclude ~/.ssh/extra\n\nHost github.com\n  User git\n\nMatch host *.corp\n  ProxyJump bastion\n';
    const { text } = upsertBlock(original, block);
    const [before, after] = text.split(BLOCK_END + '\n');
    expect(before!.startsWith('# mine\nServerAliveInterval 60\nInclude ~/.ssh/extra\n\n' + BLOCK_START)).toBe(true);
    expect(after).toBe('\nHost github.com\n  User git\n\nMatch host *.corp\n  ProxyJump bastion\n');
    // Removing the block gives back the file exactly.
    const start = text.indexOf(BLOCK_START);
    const end = text.indexOf(BLOCK_END) + BLOCK_END.length + 2;
    expect(text.slice(0, start) + text.slice(end)).toBe(original);
  });

  it('appends after a file of global lines only, adding a final newline', () => {
    const { text } = upsertBlock('ServerAliveInterval 60', block);
    expect(text.startsWith('ServerAliveInterval 60\n\n' + BLOCK_START)).toBe(true);
    expect(text.endsWith(BLOCK_END + '\n')).toBe(true);
  });

  it('updates the block in place when the key or hosts change', () => {
    const first = upsertBlock('Host a\n  User x\n', block).text + 'Host z\n  User y\n';
    const second = upsertBlock(first, { hosts: ['ssh.dev.azure.com', 'tfs.contoso.com'], identityFile: '~/.ssh/other key' });
    expect(second.changed).toBe(true);
    expect(second.text.split(BLOCK_START)[0]).toBe(first.split(BLOCK_START)[0]);
    expect(second.text.split(BLOCK_END)[1]).toBe(first.split(BLOCK_END)[1]);
    expect(second.text).toContain('Host ssh.dev.azure.com tfs.contoso.com\n  IdentityFile "~/.ssh/other key"\n');
    expect(second.text.match(new RegExp(BLOCK_START, 'g'))).toHaveLength(1);
    expect(readBlock(second.text)).toEqual({ hosts: ['ssh.dev.azure.com', 'tfs.contoso.com'], identityFile: '~/.ssh/other key' });
  });

  it("quotes what ssh would split or cut, reads it back, and refuses what ssh cannot be told", () => {
    for (const identityFile of ['~/.ssh/a#b', "~/.ssh/ann's", '~/.ssh/ lead']) {
      const { text } = upsertBlock('', { ...block, identityFile });
      expect(text).toContain(`  IdentityFile "${identityFile}"\n`);
      expect(readBlock(text)?.identityFile).toBe(identityFile);
    }
    for (const identityFile of ['~/.ssh/a"b', '~/.ssh/a\nHost *', '~/.ssh/%d', '~/.ssh/${HOME}', '~/.ssh/a\\b', '~/.ssh/a\u007f', '~/.ssh/key ']) {
      expect(() => upsertBlock('', { ...block, identityFile })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    }
  });

  it('keeps Windows line endings', () => {
    const { text } = upsertBlock('Host a\r\n  User x\r\n', block);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('refuses to guess when the markers are damaged', () => {
    for (const damaged of [`${BLOCK_START}\nHost x\n`, `Host x\n${BLOCK_END}\n`, `${BLOCK_END}\n${BLOCK_START}\n`, `${BLOCK_START}\n${BLOCK_END}\n${BLOCK_START}\n${BLOCK_END}\n`]) {
      expect(() => upsertBlock(damaged, block)).toThrow(HostError);
    }
  });

  it('reads the block’s lines as ssh does: a comment or `=` the user added does not change the key', () => {
    const { text } = upsertBlock('', block);
    const edited = text.replace('  IdentityFile ~/.ssh/id_rsa_azure_devops', '  IdentityFile=~/.ssh/id_rsa_azure_devops # for work').replace('Host ssh', 'host\tssh');
    expect(readBlock(edited)).toEqual(block);
  });
});
