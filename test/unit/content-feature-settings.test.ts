import type { Runtime } from 'webextension-polyfill';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../src/background/gateway';
import { createProfileStore, memoryKeyValue } from '../../src/background/profile-store';
import type { CompanionHandlerDeps } from '../../src/background/handlers/companion';

/** The background side of the injected features: switches and the log of missing anchors, through the real gateway. */

const EXT = 'chrome-extension://abc/';
const fromOptions = { id: 'abc', url: `${EXT}src/options/index.html` };
const fromPage = (url: string) => ({ id: 'abc', url, tab: { id: 1, url } }) as Runtime.MessageSender;
const FILES = fromPage('https://dev.azure.com/fabrikam/Platform/_git/Platform?path=/src/secret-plans.md');

function setup() {
  const local = memoryKeyValue();
  let now = 1_000;
  const deps = {
    extensionId: 'abc',
    extensionOrigin: EXT,
    version: '1.0.0',
    local,
    session: memoryKeyValue(),
    store: createProfileStore(local),
    now: () => now,
  } as unknown as CompanionHandlerDeps;
  return { handle: createGateway(deps).handleMessage, local, tick: (ms: number) => (now += ms) };
}

const missing = (selectors = ['.repos-files-header-commandbar.bolt-header-commandbar', '.repos-files-header .bolt-header-commandbar']) => ({ type: 'features.missingAnchor', feature: 'clone-to-desktop', page: 'repoFiles', selectors });

describe('feature settings', () => {
  it('lists every feature, switched on until the user switches it off', async () => {
    const { handle } = setup();
    const first = (await handle({ type: 'features.settings' }, FILES)) as { ok: true; data: { features: { id: string; enabled: boolean }[] } };
    expect(first.data.features.map((f) => [f.id, f.enabled])).toEqual([
      ['clone-to-desktop', true],
      ['forks-as-remotes', true],
      ['pull-request-reviewers', true],
      ['pull-request-checkout', true],
      ['open-in-editor', true],
      ['start-work', true],
    ]);
    expect(await handle({ type: 'features.setEnabled', feature: 'forks-as-remotes', enabled: false }, fromOptions)).toMatchObject({
      ok: true,
      data: { features: [{ enabled: true }, { id: 'forks-as-remotes', enabled: false }, { enabled: true }, { enabled: true }, { enabled: true }, { enabled: true }] },
    });
    // A page reads the switches, and may not change them.
    expect(await handle({ type: 'features.settings' }, FILES)).toMatchObject({ data: { features: [{}, { enabled: false }, {}, {}, {}, {}] } });
    expect(await handle({ type: 'features.setEnabled', feature: 'forks-as-remotes', enabled: true }, FILES)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handle({ type: 'features.clearLog' }, FILES)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handle({ type: 'features.setEnabled', feature: 'no-such-feature', enabled: false }, fromOptions)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('records a missing anchor once per place, counting repeats, without the page URL', async () => {
    const { handle, local, tick } = setup();
    expect(await handle(missing(), FILES)).toEqual({ ok: true, data: { recorded: true } });
    tick(500);
    await handle(missing(), fromPage('https://dev.azure.com/fabrikam/Other/_git/Other'));
    tick(500);
    await handle(missing(['.vc-explorer-toolbar']), FILES);
    const { data } = (await handle({ type: 'features.settings' }, fromOptions)) as { data: { missingAnchors: Record<string, unknown>[] } };
    expect(data.missingAnchors).toEqual([
      { feature: 'clone-to-desktop', page: 'repoFiles', selectors: ['.vc-explorer-toolbar'], origin: 'https://dev.azure.com', count: 1, firstAt: 2000, lastAt: 2000 },
      { feature: 'clone-to-desktop', page: 'repoFiles', selectors: ['.repos-files-header-commandbar.bolt-header-commandbar', '.repos-files-header .bolt-header-commandbar'], origin: 'https://dev.azure.com', count: 2, firstAt: 1000, lastAt: 1500 },
    ]);
    expect(JSON.stringify([...local.data.values()])).not.toContain('secret-plans');
    expect(await handle({ type: 'features.clearLog' }, fromOptions)).toMatchObject({ ok: true, data: { missingAnchors: [] } });
  });

  it('loses no report when several arrive at once', async () => {
    const { handle } = setup();
    await Promise.all([
      handle(missing(), FILES),
      handle({ ...missing(), feature: 'forks-as-remotes' }, FILES),
      handle(missing(), FILES),
      handle({ type: 'features.setEnabled', feature: 'clone-to-desktop', enabled: false }, fromOptions),
    ]);
    const { data } = (await handle({ type: 'features.settings' }, fromOptions)) as { data: { missingAnchors: { feature: string; count: number }[]; features: { enabled: boolean }[] } };
    expect(data.missingAnchors.map((m) => [m.feature, m.count]).toSorted()).toEqual([['clone-to-desktop', 2], ['forks-as-remotes', 1]]);
    expect(data.features[0]!.enabled).toBe(false);
  });

  it('keeps the log small', async () => {
    const { handle } = setup();
    for (let i = 0; i < 60; i++) await handle(missing([`.anchor-${i}`]), FILES);
    const { data } = (await handle({ type: 'features.settings' }, fromOptions)) as { data: { missingAnchors: { selectors: string[] }[] } };
    expect(data.missingAnchors).toHaveLength(50);
    expect(data.missingAnchors[0]!.selectors).toEqual(['.anchor-59']);
  });

  it('refuses reports that are not about a known feature or are too large', async () => {
    const { handle } = setup();
    expect(await handle({ ...missing(), feature: 'other' }, FILES)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await handle(missing(Array.from({ length: 31 }, (_, i) => `.a${i}`)), FILES)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await handle(missing(['x'.repeat(301)]), FILES)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
