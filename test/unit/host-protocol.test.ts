import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CAPABILITIES,
  HostMessageSchema,
  PROTOCOL_VERSION,
  REQUEST_TYPES,
  checkCompanion,
  parseHostRequest,
  type HelloData,
} from '../../src/shared/host-protocol';

z.config({ jitless: true });

describe('host protocol schemas', () => {
  it.each([
    { id: '1', type: 'hello' },
    { id: '1', type: 'configure', cloneRoots: ['/home/a/src'], allowedHosts: ['tfs.contoso.com'] },
    { id: '1', type: 'clone', url: 'https://dev.azure.com/o/p/_git/r', root: '/r', folder: 'r', branch: 'main', partial: true, depth: 1, auth: { kind: 'pat', token: 'x' } },
    { id: '1', type: 'cancel', target: '2' },
    { id: '1', type: 'localClones' },
    { id: '1', type: 'addRemote', path: '/r/x', name: 'upstream', url: 'https://dev.azure.com/o/p/_git/r' },
    { id: '1', type: 'fetch', path: '/r/x', remote: 'upstream', auth: { kind: 'bearer', token: 'y' } },
    { id: '1', type: 'sshKey', action: 'find' },
    { id: '1', type: 'sshKey', action: 'generate', comment: 'me@laptop', hosts: ['ssh.dev.azure.com'] },
    { id: '1', type: 'sshKey', action: 'configure' },
    { id: '1', type: 'sshTest', host: 'ssh.dev.azure.com' },
    { id: '1', type: 'open', path: '/r/x', target: 'editor' },
    { id: '1', type: 'status', path: '/r/x' },
    { id: '1', type: 'checkout', path: '/r/x', remote: 'origin', branch: 'feature/x', newBranch: 'fork/feature/x', track: true, auth: { kind: 'pat', token: 'x' } },
    { id: '1', type: 'worktree', path: '/r/x', remote: 'origin', pullRequest: 12, folder: 'x-pr-12' },
  ])('accepts $type', (request) => {
    const parsed = parseHostRequest(request);
    expect(parsed.ok).toBe(true);
  });

  it('has one example above for every request type', () => {
    expect(REQUEST_TYPES).toHaveLength(13);
  });

  it.each([
    [null, 'JSON object'],
    [[], 'JSON object'],
    [{ id: '1' }, 'unknown request type'],
    [{ id: '1', type: 'toString' }, 'unknown request type'],
    [{ id: '1', type: '__proto__' }, 'unknown request type'],
    [{ id: '', type: 'hello' }, 'id'],
    [{ id: 1, type: 'hello' }, 'id'],
    [{ id: '1', type: 'hello', extra: true }, 'invalid hello'],
    [{ id: '1', type: 'clone', url: 'x', root: '/r' }, 'folder'],
    [{ id: '1', type: 'clone', url: 'x', root: '/r', folder: 'a\nb' }, 'control characters'],
    [{ id: '1', type: 'clone', url: 'x', root: '/r', folder: 'a', depth: 0 }, 'depth'],
    [{ id: '1', type: 'clone', url: 'x', root: '/r', folder: 'a', auth: { kind: 'pat', token: 'x', user: 'u' } }, 'auth'],
    [{ id: '1', type: 'sshKey', action: 'delete' }, 'action'],
    [{ id: '1', type: 'open', path: '/x', target: 'shell' }, 'target'],
    [{ id: '1', type: 'open', path: '/x', target: 'editor', file: 'a.ts', line: 0 }, 'line'],
    [{ id: '1', type: 'open', path: '/x', target: 'editor', editor: 'emacs' }, 'editor'],
    [{ id: '1', type: 'checkout', path: '/x', remote: 'origin', pullRequest: 0 }, 'pullRequest'],
    [{ id: '1', type: 'worktree', path: '/x', remote: 'origin', branch: 'b' }, 'folder'],
  ])('refuses %j with a message naming the problem', (request, words) => {
    const parsed = parseHostRequest(request);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(words);
  });

  it('describes every message the host sends', () => {
    expect(HostMessageSchema.safeParse({ id: 'a', event: 'progress', phase: 'receiving', percent: 45, done: 1, total: 2 }).success).toBe(true);
    expect(HostMessageSchema.safeParse({ id: null, ok: false, error: { code: 'BAD_FRAME', message: 'x' } }).success).toBe(true);
    expect(HostMessageSchema.safeParse({ id: 'a', ok: true, data: {} }).success).toBe(true);
    expect(HostMessageSchema.safeParse({ id: 'a', ok: false, error: { code: 'NOPE', message: 'x' } }).success).toBe(false);
  });
});

const hello = (over: Partial<HelloData>): HelloData => ({
  name: 'com.azure_devops_companion.host',
  version: '1.2.3',
  protocolVersion: PROTOCOL_VERSION,
  capabilities: [...CAPABILITIES],
  platform: 'linux',
  node: '20.19.0',
  git: '2.45.0',
  sshKeygen: true,
  logFile: '/x',
  limits: { maxFrameToBrowser: 1, maxFrameFromBrowser: 1 },
  ...over,
});
describe('companion compatibility', () => {
  it('accepts a matching companion', () => {
    expect(checkCompanion(hello({}))).toEqual({ ok: true });
  });
  it('asks for an update of the older side', () => {
    const older = checkCompanion(hello({ protocolVersion: PROTOCOL_VERSION - 1 }));
    expect(!older.ok && older.reason).toMatch(/please update the companion/);
    const newer = checkCompanion(hello({ protocolVersion: PROTOCOL_VERSION + 1 }));
    expect(!newer.ok && newer.reason).toMatch(/please update the extension/);
    const lacking = checkCompanion(hello({ capabilities: ['clone'] }), ['clone', 'sshKey']);
    expect(!lacking.ok && lacking.reason).toMatch(/lacks sshKey: please update the companion/);
  });
});
