import { describe, expect, it } from 'vitest';
import { handle, handlerFor } from '../../src/host/handlers';
import type { HostContext, RequestScope } from '../../src/host/host-context';
import { gitTooOld, gitTooOldMessage } from '../../src/shared/git-help';

describe("git's version", () => {
  it.each([
    ['2.30.9', true],
    ['2.25.1', true],
    ['1.9.5', true],
    ['2.31.0', false],
    ['2.31', false],
    ['2.45.0.windows.1', false],
    ['2.30.1.windows.1', true],
    ['2.39.3 (Apple Git-145)', false],
    ['2.24.3 (Apple Git-128)', true],
    // Not a version the companion can read: not trusted to read GIT_CONFIG_COUNT either.
    ['unknown', true],
  ])('%s is too old: %s', (version, old) => {
    expect(gitTooOld(version)).toBe(old);
  });

  it('leaves no git at all to the command that needs it (TOOL_MISSING)', () => {
    expect(gitTooOld(null)).toBe(false);
    expect(handlerFor(null)).toBe(handle);
    expect(handlerFor('2.31.0')).toBe(handle);
  });

  it('refuses every request that runs git with GIT_TOO_OLD, saying what to install, and still serves the rest', async () => {
    const ctx = { home: '/nowhere', dirs: { config: '/nowhere' }, config: () => ({ cloneRoots: [], allowedHosts: [] }) } as unknown as HostContext;
    const scope = {} as RequestScope;
    const old = handlerFor('2.30.9');
    for (const request of [
      { id: '1', type: 'localClones' },
      { id: '2', type: 'status', path: '/r' },
      { id: '3', type: 'clone', url: 'https://dev.azure.com/o/p/_git/r', root: '/r', folder: 'r' },
      { id: '4', type: 'fetch', path: '/r', remote: 'origin' },
    ] as const) {
      await expect(old(request, ctx, scope)).rejects.toMatchObject({ code: 'GIT_TOO_OLD', message: gitTooOldMessage('2.30.9'), details: { version: '2.30.9', minimum: '2.31' } });
    }
    await expect(old({ id: '5', type: 'configure' }, ctx, scope)).resolves.toMatchObject({ cloneRoots: [] });
    expect(gitTooOldMessage('2.30.9')).toBe(
      "git 2.30.9 on this computer is too old for the companion: it needs git 2.31 or newer to keep your token and a repository's own programs under its control. Install a newer git (https://git-scm.com/downloads), then try again.",
    );
  });
});
