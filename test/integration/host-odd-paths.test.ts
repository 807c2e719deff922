/**
 * Odd file systems get the documented errors, never INTERNAL: symlink loops and links to nowhere
 * in a path, files where folders are expected, folders that are missing. Real folders, the built
 * companion.
 */
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostProcess, makeSandbox, removeBuilds, type Sandbox } from './host-harness';

let sandbox: Sandbox;
let host: HostProcess;

beforeEach(async () => {
  sandbox = makeSandbox();
  host = await HostProcess.start(sandbox.env);
  expect((await host.request({ type: 'configure', cloneRoots: [sandbox.roots] })).ok).toBe(true);
  symlinkSync('loop', join(sandbox.roots, 'loop'));
  symlinkSync(join(sandbox.dir, 'nothing-here'), join(sandbox.roots, 'dangling'));
  writeFileSync(join(sandbox.roots, 'file'), 'not a folder');
});
afterEach(async () => {
  await host.close();
  sandbox.remove();
});
afterAll(removeBuilds);

const url = 'https://dev.azure.com/fabrikam/Platform/_git/api';

describe('clone', () => {
  it('through a link in a loop or to nowhere, or below a file: DEST_EXISTS, nothing created', async () => {
    for (const folder of ['loop/api', 'dangling/api', 'file/api', 'loop']) {
      const answer = await host.request({ type: 'clone', url, root: sandbox.roots, folder });
      expect(answer, folder).toMatchObject({ ok: false, error: { code: 'DEST_EXISTS' } });
    }
    expect(readdirSync(sandbox.roots).toSorted()).toEqual(['dangling', 'file', 'loop']);
  });

  it('into a root that is a file, a link in a loop, or a link to nowhere: DEST_EXISTS', async () => {
    const roots = [join(sandbox.roots, 'file'), join(sandbox.roots, 'loop'), join(sandbox.roots, 'dangling'), join(sandbox.roots, 'loop', 'below'), join(sandbox.roots, 'file', 'below')];
    expect((await host.request({ type: 'configure', cloneRoots: roots })).ok).toBe(true);
    for (const root of roots) {
      expect(await host.request({ type: 'clone', url, root, folder: 'api' }), root).toMatchObject({ ok: false, error: { code: 'DEST_EXISTS' } });
    }
    expect(readdirSync(sandbox.roots).toSorted()).toEqual(['dangling', 'file', 'loop']);
    expect(readdirSync(sandbox.dir).toSorted()).toEqual(['companion', 'home', 'roots']);
  });
});

describe('a folder name within 255 characters but over 255 bytes', () => {
  it('is BAD_REQUEST for destination and clone, in words that say so, and nothing is created', async () => {
    const folder = `org/${'é'.repeat(128)}`;
    for (const request of [{ type: 'destination' }, { type: 'clone', url }]) {
      const answer = await host.request({ ...request, root: sandbox.roots, folder });
      expect(answer, request.type).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('255 bytes') } });
    }
    expect(readdirSync(sandbox.roots).toSorted()).toEqual(['dangling', 'file', 'loop']);
  });
});

describe('open, fetch and addRemote', () => {
  it('on a file, a missing folder, or through a link loop: NOT_FOUND', async () => {
    mkdirSync(join(sandbox.roots, 'org'));
    const paths = [
      join(sandbox.roots, 'file'),
      join(sandbox.roots, 'org', 'missing'),
      join(sandbox.roots, 'loop'),
      join(sandbox.roots, 'loop', 'api'),
      join(sandbox.roots, 'dangling'),
    ];
    for (const path of paths) {
      const requests = [
        { type: 'open', path, target: 'folder' },
        { type: 'fetch', path, remote: 'origin' },
        { type: 'addRemote', path, name: 'fork', url },
      ];
      for (const request of requests) {
        expect(await host.request(request), `${request.type} ${path}`).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      }
    }
  });
});
