import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitVersionFile, lookUpGitVersion } from '../../src/host/git-version-cache';

let dir: string;
let bin: string;
let state: string;
let env: NodeJS.ProcessEnv;
/** A git on PATH that says `version` and counts how often it was started. */
const fakeGit = (version: string) => {
  writeFileSync(join(bin, 'git'), `#!/bin/sh\necho x >> '${join(dir, 'runs')}'\necho 'git version ${version}'\n`);
  chmodSync(join(bin, 'git'), 0o755);
};
const runs = () => {
  try {
    return readFileSync(join(dir, 'runs'), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'git-version-'));
  bin = join(dir, 'bin');
  state = join(dir, 'state');
  mkdirSync(bin);
  env = { PATH: bin };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(process.platform === 'win32')('git version for hello', () => {
  it('asks git once, then answers from the file without starting git until git changes', async () => {
    fakeGit('2.40.1');
    const first = lookUpGitVersion(env, process.platform, state);
    expect(await first.version).toBe('2.40.1');
    expect(runs()).toBe(1);
    expect(JSON.parse(readFileSync(gitVersionFile(state), 'utf8'))).toMatchObject({ path: join(bin, 'git'), version: '2.40.1' });

    const second = lookUpGitVersion(env, process.platform, state);
    expect(await second.version).toBe('2.40.1');
    expect(runs()).toBe(1);
    // Checked with git itself once nothing waits for it; the same answer leaves the file as it is.
    const written = statSync(gitVersionFile(state), { bigint: true });
    await second.refresh();
    expect(runs()).toBe(2);
    const after = statSync(gitVersionFile(state), { bigint: true });
    expect([after.ino, after.mtimeNs]).toEqual([written.ino, written.mtimeNs]);

    fakeGit('2.45.0 (a longer build)');
    expect(await lookUpGitVersion(env, process.platform, state).version).toBe('2.45.0 (a longer build)');
  });

  it('corrects a remembered version that git contradicts, and ignores a damaged file', async () => {
    fakeGit('2.40.1');
    await lookUpGitVersion(env, process.platform, state).version;
    const file = gitVersionFile(state);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), version: '1.0.0' }));
    const stale = lookUpGitVersion(env, process.platform, state);
    expect(await stale.version).toBe('1.0.0');
    await stale.refresh();
    expect(await lookUpGitVersion(env, process.platform, state).version).toBe('2.40.1');

    writeFileSync(file, '{ not json');
    expect(await lookUpGitVersion(env, process.platform, state).version).toBe('2.40.1');
  });

  it('is null without git', async () => {
    expect(await lookUpGitVersion({ PATH: join(dir, 'none') }, process.platform, state).version).toBeNull();
  });
});
