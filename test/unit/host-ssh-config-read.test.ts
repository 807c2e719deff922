import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { upsertBlock } from '../../src/host/ssh-config-block';
import type { HostContext } from '../../src/host/host-context';
import { identityFilesFor } from '../../src/host/ssh-config-read';
import { sshKey } from '../../src/host/ssh-key';

/** Ann's side: what ssh fills `~`, % tokens and `${VAR}` in with. */
const ann = { home: '/home/ann', user: 'ann', hostname: 'ann-pc.corp.example', uid: 1000, env: { HOME: '/home/ann', KEYS: '/srv/keys' } };
const filesFor = (text: string, hosts: string[]) => identityFilesFor(text, hosts, ann).named;
/** All that is read for ssh.dev.azure.com: the keys, the block's, the files of Match sections with keys. */
const readAll = (text: string) => identityFilesFor(text, ['ssh.dev.azure.com'], ann);

describe('IdentityFile lines that apply to a host, as ssh reads them', () => {
  it('finds IdentityFile lines that apply to Azure DevOps: before the first section (every host), and of Host sections', () => {
    const text = 'IdentityFile ~/.ssh/global\nHost github.com\n  IdentityFile ~/.ssh/gh\nHost=ssh.dev.azure.com\n  IdentityFile=~/.ssh/ado\nHost *\n  IdentityFile ~/.ssh/all\n';
    expect(filesFor(text, ['ssh.dev.azure.com'])).toEqual([
      { identityFile: '/home/ann/.ssh/global', hosts: ['ssh.dev.azure.com'], inBlock: false },
      { identityFile: '/home/ann/.ssh/ado', hosts: ['ssh.dev.azure.com'], inBlock: false },
      { identityFile: '/home/ann/.ssh/all', hosts: ['ssh.dev.azure.com'], inBlock: false },
    ]);
  });

  it('reads wildcard Host lines for each host asked: the cloud pair and a server', () => {
    const hosts = ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com', 'tfs.contoso.com'];
    const text = [
      'Host *.azure.com',
      '  IdentityFile ~/.ssh/azure',
      'Host ssh.dev.azure.com vs-ssh.*',
      '  IdentityFile ~/.ssh/pair',
      'Host tfs.*.com "github.com"',
      '  IdentityFile ~/.ssh/tfs',
      'Host *',
      '  IdentityFile ~/.ssh/all',
      '',
    ].join('\n');
    expect(filesFor(text, hosts)).toEqual([
      { identityFile: '/home/ann/.ssh/azure', hosts: ['ssh.dev.azure.com'], inBlock: false },
      { identityFile: '/home/ann/.ssh/pair', hosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'], inBlock: false },
      { identityFile: '/home/ann/.ssh/tfs', hosts: ['tfs.contoso.com'], inBlock: false },
      { identityFile: '/home/ann/.ssh/all', hosts, inBlock: false },
    ]);
  });

  it('a Host line that excludes a host with ! does not give it the key, even when it names it too', () => {
    const text = 'Host * !ssh.dev.azure.com\n  IdentityFile ~/.ssh/not-ado\nHost ssh.dev.azure.com !*.azure.com\n  IdentityFile ~/.ssh/never\nHost !github.com\n  IdentityFile ~/.ssh/negated-only\n';
    expect(filesFor(text, ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'])).toEqual([{ identityFile: '/home/ann/.ssh/not-ado', hosts: ['vs-ssh.visualstudio.com'], inBlock: false }]);
  });

  it('counts no Match section, a Host pattern in other case, a commented-out name, nor a line ssh refuses', () => {
    const text = [
      'Match host ssh.dev.azure.com',
      '  IdentityFile ~/.ssh/match',
      'Host SSH.dev.azure.com',
      '  IdentityFile ~/.ssh/upper',
      'Host github.com # ssh.dev.azure.com',
      '  IdentityFile ~/.ssh/comment',
      'Host "ssh.dev.azure.com',
      '  IdentityFile ~/.ssh/unterminated',
      '',
    ].join('\n');
    expect(filesFor(text, ['ssh.dev.azure.com'])).toEqual([]);
  });

  it('says where a Match section holds an IdentityFile line (it may give a key, only ssh can tell), and only there', () => {
    const config = '/home/ann/.ssh/config';
    expect(readAll('Match host ssh.dev.azure.com\n  IdentityFile ~/.ssh/match\n')).toEqual({ named: [], block: undefined, matchFiles: [config], unread: [] });
    expect(readAll('match=user ann\n\tidentityfile=~/.ssh/a\nMatch all\n  IdentityFile ~/.ssh/b\n').matchFiles).toEqual([config]);
    // A Match that names no key, a line ssh refuses, and a Host section after one: no Match key.
    expect(readAll('Match host ssh.dev.azure.com\n  User git\n  IdentityFile\n  IdentityFile "~/.ssh/open\nHost ssh.dev.azure.com\n  IdentityFile ~/.ssh/host\n')).toEqual({
      named: [{ identityFile: '/home/ann/.ssh/host', hosts: ['ssh.dev.azure.com'], inBlock: false }],
      block: undefined,
      matchFiles: [],
      unread: [],
    });
    expect(readAll('Host *\n  IdentityFile ~/.ssh/a\n').matchFiles).toEqual([]);
  });

  it('tells the block’s IdentityFile from those of the user’s own sections, and which hosts asked each names', () => {
    const own = 'Host ssh.dev.azure.com github.com tfs.contoso.com\n  IdentityFile "~/.ssh/my key"\n';
    const { text } = upsertBlock(own, { hosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'], identityFile: '~/.ssh/id_rsa_azure_devops' });
    expect(filesFor(`${text}Host vs-ssh.visualstudio.com\n  IdentityFile ~/.ssh/old\n`, ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com', 'tfs.contoso.com'])).toEqual([
      { identityFile: '/home/ann/.ssh/id_rsa_azure_devops', hosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'], inBlock: true },
      { identityFile: '/home/ann/.ssh/my key', hosts: ['ssh.dev.azure.com', 'tfs.contoso.com'], inBlock: false },
      { identityFile: '/home/ann/.ssh/old', hosts: ['vs-ssh.visualstudio.com'], inBlock: false },
    ]);
  });

  it('the block’s key and the hosts asked it serves: none, for a block written for a server alone, and still its key', () => {
    const { text } = upsertBlock('Host *\n  IdentityFile ~/.ssh/all\n', { hosts: ['tfs.contoso.com'], identityFile: '~/.ssh/work key' });
    expect(identityFilesFor(text, ['ssh.dev.azure.com', 'tfs.contoso.com'], ann).block).toEqual({ identityFile: '/home/ann/.ssh/work key', hosts: ['tfs.contoso.com'] });
    expect(identityFilesFor(text, ['ssh.dev.azure.com'], ann)).toEqual({ named: [{ identityFile: '/home/ann/.ssh/all', hosts: ['ssh.dev.azure.com'], inBlock: false }], block: { identityFile: '/home/ann/.ssh/work key', hosts: [] }, matchFiles: [], unread: [] });
    expect(identityFilesFor('Host *\n  IdentityFile ~/.ssh/all\n', ['ssh.dev.azure.com'], ann).block).toBeUndefined();
  });

  it('reads an IdentityFile line as ssh does: any case, `=` or tabs, quotes, a trailing comment', () => {
    const lines = [
      'identityfile ~/.ssh/lower',
      'IDENTITYFILE\t~/.ssh/tab',
      'IdentityFile=~/.ssh/equals',
      '\tIdentityFile\t =\t~/.ssh/spaced',
      'IdentityFile ~/.ssh/commented # my work key',
      'IdentityFile "~/.ssh/my key" #work',
      "IdentityFile '~/.ssh/single'",
      'IdentityFile ~/.ssh/trailing \t',
      'IdentityFile ~/.ssh/windows\r',
    ];
    const text = `Host ssh.dev.azure.com\n${lines.map((l) => `  ${l}\n`).join('')}`;
    expect(filesFor(text, ['ssh.dev.azure.com']).map((n) => n.identityFile)).toEqual([
      '/home/ann/.ssh/lower',
      '/home/ann/.ssh/tab',
      '/home/ann/.ssh/equals',
      '/home/ann/.ssh/spaced',
      '/home/ann/.ssh/commented',
      '/home/ann/.ssh/my key',
      '/home/ann/.ssh/single',
      '/home/ann/.ssh/trailing',
      '/home/ann/.ssh/windows',
    ]);
  });

  it('counts no IdentityFile line ssh refuses, nor a commented-out one', () => {
    for (const line of ['IdentityFile ~/.ssh/a extra', 'IdentityFile ""', 'IdentityFile', 'IdentityFile "~/.ssh/open', '# IdentityFile ~/.ssh/a', 'IdentityFiles ~/.ssh/a']) {
      expect(filesFor(`Host ssh.dev.azure.com\n  ${line}\n`, ['ssh.dev.azure.com']), line).toEqual([]);
    }
  });

  it('lines after the block’s end marker are in the block’s section for ssh: the user’s, for the block’s hosts', () => {
    const { text } = upsertBlock('', { hosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'], identityFile: '~/.ssh/id_rsa_azure_devops' });
    expect(filesFor(`${text}IdentityFile ~/.ssh/after\nHost github.com\n  IdentityFile ~/.ssh/gh\n`, ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com', 'github.com'])).toEqual([
      { identityFile: '/home/ann/.ssh/id_rsa_azure_devops', hosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'], inBlock: true },
      { identityFile: '/home/ann/.ssh/after', hosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'], inBlock: false },
      { identityFile: '/home/ann/.ssh/gh', hosts: ['github.com'], inBlock: false },
    ]);
  });
});

describe('% tokens, ${VAR} and ~ in IdentityFile', () => {
  it('fills in what ssh would: the host (HostName too), home, user, this computer, `git` for ssh.dev.azure.com', () => {
    const text = [
      'Host tfs.contoso.com',
      '  HostName TFS.%h.Example',
      '  HostName second.example',
      'Host *',
      '  IdentityFile ~/.ssh/%h',
      '  IdentityFile %d/keys/%u-%l-%L-%i-%n-%%',
      '  IdentityFile ${KEYS}/%r',
      '  IdentityFile ~ann/k',
      '',
    ].join('\n');
    expect(filesFor(text, ['ssh.dev.azure.com', 'tfs.contoso.com'])).toEqual([
      { identityFile: '/home/ann/.ssh/ssh.dev.azure.com', hosts: ['ssh.dev.azure.com'], inBlock: false },
      { identityFile: '/home/ann/.ssh/tfs.tfs.contoso.com.example', hosts: ['tfs.contoso.com'], inBlock: false },
      { identityFile: '/home/ann/keys/ann-ann-pc.corp.example-ann-pc-1000-ssh.dev.azure.com-%', hosts: ['ssh.dev.azure.com'], inBlock: false },
      { identityFile: '/home/ann/keys/ann-ann-pc.corp.example-ann-pc-1000-tfs.contoso.com-%', hosts: ['tfs.contoso.com'], inBlock: false },
      // The user of a server's clone URLs, and so %r, is not known: that line names no file for it.
      { identityFile: '/srv/keys/git', hosts: ['ssh.dev.azure.com'], inBlock: false },
      { identityFile: '/home/ann/k', hosts: ['ssh.dev.azure.com', 'tfs.contoso.com'], inBlock: false },
    ]);
  });

  it('a value it cannot tell names no file: port, hash, other tokens, a variable not set, another home, a relative path', () => {
    const values = ['~/.ssh/%p', '~/.ssh/%C', '~/.ssh/%k', '~/.ssh/%j', '~/.ssh/%z', '~/.ssh/key%', '${NOPE}/k', '${KEYS/k', '~bob/k', '.ssh/k', 'k'];
    for (const value of values) expect(filesFor(`IdentityFile ${value}\n`, ['ssh.dev.azure.com']), value).toEqual([]);
    expect(filesFor('IdentityFile ~/.ssh/%r\n', ['vs-ssh.visualstudio.com', 'tfs.contoso.com'])).toEqual([]);
    expect(identityFilesFor('IdentityFile ~/.ssh/%u\n', ['ssh.dev.azure.com'], { ...ann, user: undefined }).named).toEqual([]);
  });

  it('`${VAR}` is a variable of the environment only, and %r a user it knows: not a property every object has', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(filesFor(`IdentityFile /keys/\${${name}}\n`, ['ssh.dev.azure.com']), name).toEqual([]);
    // A host name (a find's `hosts`) can be `constructor` too.
    expect(filesFor('IdentityFile /keys/%r\n', ['constructor'])).toEqual([]);
  });
});

describe('Include', () => {
  let home = '';
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  /** A home with these files (paths relative to it), and the companion's reading of `config` there. */
  function withFiles(files: Record<string, string>) {
    home = mkdtempSync(join(tmpdir(), 'ssh-include-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(home, path, '..'), { recursive: true });
      writeFileSync(join(home, path), text);
    }
    return (config: string, hosts = ['ssh.dev.azure.com']) => identityFilesFor(config, hosts, { ...ann, home }).named.map((n) => n.identityFile);
  }

  it('reads a file named from ~ or relative to ~/.ssh, not one of another user’s home', () => {
    const read = withFiles({ '.ssh/work': 'IdentityFile /keys/work\n', extra: 'IdentityFile /keys/extra\n' });
    expect(read('Include work ~/extra ~/.ssh/work ~nobody/extra ~ann/extra\n')).toEqual(['/keys/work', '/keys/extra', '/keys/work', '/keys/extra']);
  });

  it('reads nothing for hosts its section does not apply to, and the section goes on after it', () => {
    const read = withFiles({ '.ssh/ado': 'IdentityFile /keys/included\n' });
    const config = 'Host github.com\n  Include ado\nHost ssh.dev.azure.com\n  Include ado\n  IdentityFile /keys/after\n';
    expect(read(config, ['ssh.dev.azure.com', 'github.com', 'tfs.contoso.com'])).toEqual(['/keys/included', '/keys/included', '/keys/after']);
    expect(identityFilesFor(config, ['tfs.contoso.com'], { ...ann, home }).named).toEqual([]);
  });

  it('a file that includes itself, or others in a ring, is read a bounded number of times', () => {
    const read = withFiles({ '.ssh/a': 'IdentityFile /keys/a\nInclude b\n', '.ssh/b': 'IdentityFile /keys/b\nInclude a *\n' });
    const keys = read('Include a\n');
    expect(keys.slice(0, 3)).toEqual(['/keys/a', '/keys/b', '/keys/a']);
    expect(keys.length).toBeGreaterThan(3);
    expect(keys.length).toBeLessThanOrEqual(64);
  });

  it('once 64 files are read, an Include globs no more: no folder is read for the words and lines after it', () => {
    const files = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`.ssh/conf.d/${String(i).padStart(2, '0')}`, '']));
    withFiles({ ...files, '.ssh/more/a': 'IdentityFile /keys/more\n', '.ssh/last/a': 'IdentityFile /keys/last\n' });
    const reads: string[] = [];
    const local = { ...ann, home, readdir: (dir: string) => (reads.push(dir), readdirSync(dir)) };
    const cut = identityFilesFor('Include conf.d/* more/*\nInclude last/*\n', ['ssh.dev.azure.com'], local);
    expect(cut.named).toEqual([]);
    expect(reads).toEqual([join(home, '.ssh', 'conf.d')]);
    // What the files past the limit give ssh cannot be told.
    expect(cut.unread).toEqual([{ file: join(home, '.ssh', 'config'), why: expect.stringContaining('its Include lines name more than the companion reads') }]);
    // Below the limit both are read, through the same seam.
    reads.length = 0;
    expect(identityFilesFor('Include more/*\nInclude last/*\n', ['ssh.dev.azure.com'], local).named.map((n) => n.identityFile)).toEqual(['/keys/more', '/keys/last']);
    expect(reads).toEqual([join(home, '.ssh', 'more'), join(home, '.ssh', 'last')]);
    expect(identityFilesFor('Include more/*\nInclude last/*\n', ['ssh.dev.azure.com'], local).unread).toEqual([]);
  });

  it('globs a name with many `*`s in no time (a backtracking regular expression takes minutes)', () => {
    const read = withFiles({ [`.ssh/conf.d/${'a'.repeat(40)}`]: 'IdentityFile /keys/long\n' });
    const started = performance.now();
    expect(read(`Include conf.d/${'*a'.repeat(8)}*b\n`)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(read(`Include conf.d/${'*a'.repeat(8)}*\n`)).toEqual(['/keys/long']);
  });

  it('a set with a range out of order names nothing, and the other words are read (ssh finds no file for it)', () => {
    const read = withFiles({ '.ssh/conf.d/b': 'IdentityFile /keys/b\n', '.ssh/conf.d/x]': 'IdentityFile /keys/x\n' });
    expect(read('Include conf.d/[z-a] conf.d/[a-c]\n')).toEqual(['/keys/b']);
    expect(read('Include conf.d/[^a] conf.d/[!]]\n')).toEqual(['/keys/b', '/keys/b']);
    expect(read('Include conf.d/[]x]]\n')).toEqual(['/keys/x']);
  });

  it.skipIf(process.platform === 'win32')('does not read a named pipe: reading one holds the whole companion until something writes to it', () => {
    const read = withFiles({ '.ssh/conf.d/a': 'IdentityFile /keys/a\n' });
    execFileSync('mkfifo', [join(home, '.ssh/conf.d/pipe')]);
    // A writer waiting, so that a read of the pipe gets this line (rather than waiting for ever).
    const writer = spawn('sh', ['-c', 'printf "IdentityFile /keys/pipe\\n" > "$0"', join(home, '.ssh/conf.d/pipe')], { stdio: 'ignore' });
    try {
      expect(read('Include conf.d/*\n')).toEqual(['/keys/a']);
    } finally {
      writer.kill();
    }
  });

  it('a Match section in an included file, or an Include in a Match section: the file whose Match may give a key', () => {
    withFiles({ '.ssh/matched': 'Match exec true\n  IdentityFile /keys/in-match\nHost *\n  IdentityFile /keys/star\n', '.ssh/keys': 'IdentityFile /keys/from-match\n', '.ssh/plain': 'User git\n' });
    const read = (text: string) => identityFilesFor(text, ['ssh.dev.azure.com'], { ...ann, home });
    expect(read('Include matched\n')).toEqual({ named: [{ identityFile: '/keys/star', hosts: ['ssh.dev.azure.com'], inBlock: false }], block: undefined, matchFiles: [join(home, '.ssh/matched')], unread: [] });
    // An Include in a Match section: what it names is the Match's (ssh reads it only where the Match applies).
    expect(read('Match host *.azure.com\n  Include plain keys\n')).toEqual({ named: [], block: undefined, matchFiles: [join(home, '.ssh/keys')], unread: [] });
    // Not in a Host section that applies to none of the hosts asked: ssh does not read it for them.
    expect(read('Host github.com\n  Include matched\n').matchFiles).toEqual([]);
  });

  it('a key named in an included file is the user’s, even when the Include is in the block', () => {
    const read = withFiles({ '.ssh/mine': 'IdentityFile /keys/mine\n' });
    const { text } = upsertBlock('', { hosts: ['ssh.dev.azure.com'], identityFile: '/keys/block' });
    expect(read(text)).toEqual(['/keys/block']);
    expect(identityFilesFor(text.replace('  IdentitiesOnly yes', '  Include mine'), ['ssh.dev.azure.com'], { ...ann, home }).named).toEqual([
      { identityFile: '/keys/block', hosts: ['ssh.dev.azure.com'], inBlock: true },
      { identityFile: '/keys/mine', hosts: ['ssh.dev.azure.com'], inBlock: false },
    ]);
  });
});

describe('Include: the work a hostile ~/.ssh/config can make the companion do is bounded (its read holds the whole companion)', () => {
  let home = '';
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const config = () => join(home, '.ssh', 'config');
  /** The reading of `text` as ~/.ssh/config, the folders listed and the names handed out through the seam. */
  function readCounting(text: string) {
    const reads: string[] = [];
    let names = 0;
    const readdir = (dir: string) => {
      reads.push(dir);
      const found = readdirSync(dir);
      names += found.length;
      return found;
    };
    return { ...identityFilesFor(text, ['ssh.dev.azure.com'], { ...ann, home, readdir }), reads, names };
  }

  it('an included file above 1 MiB is not read (an ssh config is a few KB): it names nothing, and is said unread; one of 1 MiB is read', () => {
    home = mkdtempSync(join(tmpdir(), 'ssh-bounds-'));
    mkdirSync(join(home, '.ssh'));
    // Sparse: as large as fstat says, in no time; the key is named in its first line.
    for (const [name, size] of [['big', 1024 * 1024 + 1], ['fits', 1024 * 1024]] as const) {
      writeFileSync(join(home, '.ssh', name), `IdentityFile /keys/${name}\n`);
      truncateSync(join(home, '.ssh', name), size);
    }
    const { named, unread } = identityFilesFor('Include big fits\n', ['ssh.dev.azure.com'], { ...ann, home });
    expect(named.map((n) => n.identityFile)).toEqual(['/keys/fits']);
    expect(unread).toEqual([{ file: join(home, '.ssh', 'big'), why: 'it is 1.0 MiB, and the companion reads none above 1 MiB: an ssh config or key is a few KB' }]);
  });

  it('all Include lines share one budget of folders: 100 lines that glob 300 folders each list at most 256 in all', () => {
    home = mkdtempSync(join(tmpdir(), 'ssh-bounds-'));
    for (let i = 0; i < 300; i++) mkdirSync(join(home, 'many', `d${i}`), { recursive: true });
    // No path is named, so the 64-file limit never stops it: each line lists `many` and its folders again.
    const { reads, named, unread } = readCounting(Array(100).fill(`Include ${join(home, 'many')}/*/none*`).join('\n'));
    expect(reads.length).toBeLessThanOrEqual(256);
    expect(named).toEqual([]);
    expect(unread).toEqual([{ file: config(), why: expect.stringContaining('256 folders') }]);
  });

  it('all Include lines share one budget of names: 1000 lines that each list a folder of 300 names are handed 10,000 and a folder’s more at most', () => {
    home = mkdtempSync(join(tmpdir(), 'ssh-bounds-'));
    mkdirSync(join(home, 'few'));
    for (let i = 0; i < 300; i++) writeFileSync(join(home, 'few', `f${i}`), '');
    const { reads, names, unread } = readCounting(Array(1000).fill(`Include ${join(home, 'few')}/none*`).join('\n'));
    expect(names).toBeLessThanOrEqual(10_000 + 300);
    expect(reads.length).toBeLessThanOrEqual(Math.ceil(10_000 / 300));
    expect(unread.map((u) => u.file)).toEqual([config()]);
    // A few lines are listed in full, and said as read.
    expect(readCounting(Array(3).fill(`Include ${join(home, 'few')}/none*`).join('\n'))).toMatchObject({ names: 900, unread: [] });
  });

  it('a folder is read only as far as the budget: a glob stops in the middle of one with a million names', () => {
    home = mkdtempSync(join(tmpdir(), 'ssh-bounds-'));
    let pulled = 0;
    function* readdir() {
      for (let i = 0; i < 1_000_000; i++) {
        pulled++;
        yield `name${i}`;
      }
    }
    const { named, unread } = identityFilesFor('Include /huge/*\n', ['ssh.dev.azure.com'], { ...ann, home, readdir });
    expect(pulled).toBeLessThanOrEqual(10_001);
    expect(named).toEqual([]);
    expect(unread.map((u) => u.file)).toEqual([config()]);
  });
});

describe('~/.ssh/config itself', () => {
  let home = '';
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it.skipIf(process.platform === 'win32')('is not read when it is a named pipe: find says what it is, rather than holding the whole companion', async () => {
    home = mkdtempSync(join(tmpdir(), 'ssh-config-'));
    const config = join(home, '.ssh', 'config');
    mkdirSync(join(home, '.ssh'));
    execFileSync('mkfifo', [config]);
    // A writer waiting, so that a read of the pipe gets this config (rather than waiting for ever).
    const writer = spawn('sh', ['-c', 'printf "IdentityFile ~/.ssh/pipe\\n" > "$0"', config], { stdio: 'ignore' });
    const ctx = { home, env: {}, log: { info: () => undefined, warn: () => undefined } } as unknown as HostContext;
    try {
      await expect(sshKey({ id: '1', type: 'sshKey', action: 'find' }, ctx)).rejects.toMatchObject({
        code: 'INTERNAL',
        message: `${config} could not be read (it is a named pipe, not a file): make it a file you can read, then try again`,
      });
    } finally {
      writer.kill();
    }
  });
});
