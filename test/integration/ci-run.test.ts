/** .ci/run on a machine whose node is too old (a clean Debian 12 has Node 18). */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs a copy of .ci/run (with package.json) whose node says `version`; npm and apt-get only leave a mark. */
function run(version: string) {
  const dir = mkdtempSync(join(tmpdir(), 'adoc-ci-'));
  dirs.push(dir);
  mkdirSync(join(dir, '.ci'));
  copyFileSync(join(root, '.ci', 'run'), join(dir, '.ci', 'run'));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of ['npm', 'apt-get']) {
    writeFileSync(join(bin, tool), `#!/bin/sh\ntouch "${join(dir, `${tool}-ran`)}"\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  const fake = join(dir, 'node-version.cjs');
  writeFileSync(fake, `Object.defineProperty(process, 'versions', { value: { ...process.versions, node: ${JSON.stringify(version)} } });\n`);
  const result = spawnSync('bash', [join(dir, '.ci', 'run')], {
    env: { PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`, NODE_OPTIONS: `--require ${fake}`, CHROME_PATH: '/x', FIREFOX_PATH: '/x' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, err: result.stderr, npm: existsSync(join(dir, 'npm-ran')), apt: existsSync(join(dir, 'apt-get-ran')) };
}

describe('.ci/run', () => {
  it('stops before installing anything when node is older than package.json engines', () => {
    const old = run('18.19.0');
    expect(old.code).toBe(1);
    expect(old.err).toContain('.ci/run: node 18.19.0 is older than package.json engines.node (>=20.19)');
    expect({ npm: old.npm, apt: old.apt }).toEqual({ npm: false, apt: false });
    expect(run('20.18.3').code).toBe(1);
  });
  it('goes on with a node the engines allow', () => {
    const ok = run('20.19.0');
    expect(ok.err).not.toContain('older than');
    expect(ok.npm).toBe(true);
  });
});
