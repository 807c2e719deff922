import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CAPABILITIES,
  CloneRequestSchema,
  HostMessageSchema,
  PROTOCOL_VERSION,
  REQUEST_TYPES,
  checkCompanion,
  isPlainClone,
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
    { id: '1', type: 'destination', root: '/r', folder: 'fabrikam/api' },
    { id: '1', type: 'checkout', path: '/r/x', remote: 'origin', branch: 'feature/x', newBranch: 'fork/feature/x', track: true, auth: { kind: 'pat', token: 'x' } },
    { id: '1', type: 'worktree', path: '/r/x', remote: 'origin', pullRequest: 12, folder: 'x-pr-12' },
  ])('accepts $type', (request) => {
    const parsed = parseHostRequest(request);
    expect(parsed.ok).toBe(true);
  });

  it('has one example above for every request type', () => {
    expect(REQUEST_TYPES).toHaveLength(14);
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
    expect(HostMessageSchema.safeParse({ id: 'a', event: 'alive' }).success).toBe(true);
    expect(HostMessageSchema.safeParse({ id: null, ok: false, error: { code: 'BAD_FRAME', message: 'x' } }).success).toBe(true);
    expect(HostMessageSchema.safeParse({ id: 'a', ok: true, data: {} }).success).toBe(true);
    expect(HostMessageSchema.safeParse({ id: 'a', ok: false, error: { code: 'NOPE', message: 'x' } }).success).toBe(false);
  });
});

const x = (n: number) => 'x'.repeat(n);
const text = (max: number) => fc.string({ minLength: 1, maxLength: Math.min(max, 12) });

describe('clone requests checked by hand', () => {
  const clone = { id: 'c1', type: 'clone', url: 'https://fabrikam@dev.azure.com/fabrikam/P/_git/R', root: '/home/a/source/repos', folder: 'fabrikam/P/R' };

  it('takes the requests the extension sends without the schema', () => {
    expect(isPlainClone(clone)).toBe(true);
    expect(isPlainClone({ ...clone, branch: 'feature/x', partial: true, auth: { kind: 'pat', token: 'x'.repeat(52), orgUrl: 'https://dev.azure.com/fabrikam' } })).toBe(true);
    expect(isPlainClone({ ...clone, depth: 1, auth: { kind: 'bearer', token: 'eyJ'.repeat(900) } })).toBe(true);
  });

  it('agrees with the schema at every limit', () => {
    const edges: Record<string, unknown>[] = [];
    for (const [field, max] of [['url', 2048], ['root', 4096], ['folder', 1024], ['branch', 255]] as const) edges.push({ ...clone, [field]: x(max) }, { ...clone, [field]: x(max + 1) }, { ...clone, [field]: '' });
    for (const [kind, max] of [['pat', 1024], ['bearer', 8192]] as const) edges.push({ ...clone, auth: { kind, token: x(max) } }, { ...clone, auth: { kind, token: x(max + 1) } });
    edges.push({ ...clone, auth: { kind: 'pat', token: 't', orgUrl: x(2048) } }, { ...clone, auth: { kind: 'pat', token: 't', orgUrl: x(2049) } }, { ...clone, auth: { kind: 'bearer', token: 't', orgUrl: '' } });
    edges.push({ ...clone, id: x(128) }, { ...clone, id: x(129) }, { ...clone, depth: 1_000_000 }, { ...clone, depth: 1_000_001 }, { ...clone, depth: 0 });
    for (const edge of edges) expect([Object.keys(edge), isPlainClone(edge)]).toEqual([Object.keys(edge), CloneRequestSchema.safeParse(edge).success]);
  });

  it('takes only what CloneRequestSchema accepts, as the schema gives it back', () => {
    // A request the extension could send, then up to three fields changed to something at or past
    // its limits, of another type, or removed, or a field added.
    const good = fc.record(
      {
        id: fc.string({ minLength: 1, maxLength: 128 }),
        type: fc.constant('clone'),
        url: text(2048),
        root: text(4096),
        folder: text(1024),
        branch: text(255),
        partial: fc.boolean(),
        depth: fc.integer({ min: 1, max: 1_000_000 }),
        auth: fc.oneof(fc.record({ kind: fc.constant('pat'), token: text(1024), orgUrl: text(2048) }, { requiredKeys: ['kind', 'token'] }), fc.record({ kind: fc.constant('bearer'), token: text(8192), orgUrl: text(2048) }, { requiredKeys: ['kind', 'token'] })),
      },
      { requiredKeys: ['id', 'type', 'url', 'root', 'folder'] },
    );
    const odd = fc.oneof(
      fc.constantFrom('', 'a\nb', 'a\u007f', 'tab\there', 'x'.repeat(129), 'x'.repeat(256), 'x'.repeat(1025), 'x'.repeat(2049), 'x'.repeat(4097), 'x'.repeat(8193), 'hello', 'basic'),
      fc.constantFrom(0, -1, 1.5, 1_000_001, 2 ** 60, null, true, undefined),
      fc.record({ kind: fc.constantFrom('pat', 'bearer', 'basic'), token: fc.constantFrom('t', '', 'a\nb', 'x'.repeat(1024), 'x'.repeat(1025), 'x'.repeat(8192), 'x'.repeat(8193)), orgUrl: fc.constantFrom('', 'a\nb', 'x'.repeat(2049), 1), user: fc.constant('u') }, { requiredKeys: ['kind', 'token'] }),
      fc.constantFrom({ kind: 'pat' }, { token: 't' }, []),
      fc.anything(),
    );
    const key = fc.constantFrom('id', 'type', 'url', 'root', 'folder', 'branch', 'partial', 'depth', 'auth', 'extra', '__proto__');
    const request = fc.tuple(good, fc.array(fc.tuple(key, odd), { maxLength: 3 })).map(([base, changes]) => {
      const value: Record<string, unknown> = { ...base };
      for (const [k, v] of changes) Object.defineProperty(value, k, { value: v, enumerable: true, configurable: true, writable: true });
      return value;
    });
    let taken = 0;
    fc.assert(
      fc.property(request, (generated) => {
        const value = JSON.parse(JSON.stringify(generated)) as Record<string, unknown>;
        if (!isPlainClone(value)) return;
        taken++;
        const parsed = CloneRequestSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(value);
      }),
      { numRuns: 3000 },
    );
    // The property above says something only if the hand check takes many of them.
    expect(taken).toBeGreaterThan(300);
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
  it('says a git too old for the companion (it runs none before 2.31) is what to update, with where to get one', () => {
    expect(checkCompanion(hello({ git: '2.30.9' }))).toEqual({
      ok: false,
      problem: 'gitTooOld',
      reason:
        "git 2.30.9 on this computer is too old for the companion: it needs git 2.31 or newer to keep your token and a repository's own programs under its control. Install a newer git (https://git-scm.com/downloads), then try again.",
    });
    expect(checkCompanion(hello({ git: '2.31.0' }))).toEqual({ ok: true });
    // No git at all: the companion is ready, and says so where git is needed (TOOL_MISSING).
    expect(checkCompanion(hello({ git: null }))).toEqual({ ok: true });
  });
});
