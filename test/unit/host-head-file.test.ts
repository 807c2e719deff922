import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { branchFromHeadFile, parseHeadFile } from '../../src/host/head-file';

const SHA1 = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';
const SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

describe('parseHeadFile', () => {
  it.each([
    ['ref: refs/heads/main\n', 'main'],
    ['ref: refs/heads/feature/retry-policy\n', 'feature/retry-policy'],
    ['ref: refs/heads/users/ann/ünïcode', 'users/ann/ünïcode'],
  ])('%j is branch %s', (text, branch) => {
    expect(parseHeadFile(text)).toBe(branch);
  });

  it.each([`${SHA1}\n`, SHA256])('an object id alone is a detached HEAD', (text) => {
    expect(parseHeadFile(text)).toBeNull();
  });

  it.each([
    // reftable keeps HEAD in its tables; the file is a stub
    'ref: refs/heads/.invalid\n',
    'ref: refs/remotes/origin/main\n',
    'ref: refs/heads/a b\n',
    'ref: refs/heads/\n',
    'ref: refs/heads/main\n\n',
    `${SHA1.slice(0, 39)}\n`,
    SHA1.toUpperCase(),
    '',
    'gitdir: /elsewhere\n',
  ])('%j is left to git', (text) => {
    expect(parseHeadFile(text)).toBeUndefined();
  });
});

describe('branchFromHeadFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'host-head-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads .git/HEAD of a work tree', () => {
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/develop\n');
    expect(branchFromHeadFile(dir)).toBe('develop');
    writeFileSync(join(dir, '.git', 'HEAD'), `${SHA1}\n`);
    expect(branchFromHeadFile(dir)).toBeNull();
  });

  it('is undefined without a readable .git/HEAD (no .git, or .git as a file)', () => {
    expect(branchFromHeadFile(dir)).toBeUndefined();
    writeFileSync(join(dir, '.git'), 'gitdir: /elsewhere\n');
    expect(branchFromHeadFile(dir)).toBeUndefined();
  });
});
