import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isBranches, isPullRequest, isRepoFiles, parseAdoUrl, type AdoPage, type AdoPageKind } from '../../src/shared/ado/urls';
import type { Anchor } from '../../src/content/anchors';
import type { FeatureId } from '../../src/shared/messages';
import type { Feature, MountContext } from '../../src/content/feature';
import { startRegistry, type RegistryHost } from '../../src/content/registry';

/**
 * The feature registry against a fake page: URL changes are views, anchors appear and vanish as
 * the test says. No DOM library: the registry needs only `isConnected` and `remove()` of nodes.
 */

class FakeNode {
  isConnected = true;
  constructor(readonly name: string) {}
  remove(): void {
    this.isConnected = false;
  }
}

class FakePage implements RegistryHost {
  href = 'https://dev.azure.com/fabrikam/Platform/_git/Platform?path=/src';
  readonly anchors = new Map<string, FakeNode>();
  readonly listeners = new Set<() => void>();
  readonly missing: { feature: string; page: string; selectors: string[] }[] = [];
  readonly views: (string | undefined)[] = [];
  off = new Set<FeatureId>();
  settingsAsked = 0;
  queries = 0;

  url = () => this.href;
  watch(onChange: () => void, signal: AbortSignal): void {
    this.listeners.add(onChange);
    signal.addEventListener('abort', () => this.listeners.delete(onChange));
  }
  query(selectors: readonly string[]): Element | null {
    this.queries += 1;
    for (const s of selectors) {
      const node = this.anchors.get(s);
      if (node?.isConnected) return node as unknown as Element;
    }
    return null;
  }
  async enabled() {
    this.settingsAsked += 1;
    return (id: FeatureId) => !this.off.has(id);
  }
  readonly slots: FakeNode[] = [];
  floatingSlot(feature: Feature, signal: AbortSignal): Element {
    const slot = new FakeNode(`dock:${feature.id}`);
    this.slots.push(slot);
    signal.addEventListener('abort', () => slot.remove());
    return slot as unknown as Element;
  }
  reportMissing(feature: Feature, page: AdoPage, selectors: string[]): void {
    this.missing.push({ feature: feature.id, page: page.page, selectors });
  }
  onView(page: AdoPage | undefined): void {
    this.views.push(page?.page);
  }

  /** What the DOM observer does after the page changed. */
  changed(): void {
    for (const l of this.listeners) l();
  }
  /** In-app navigation: the page's regions are replaced, so every old anchor goes. */
  navigate(href: string): void {
    this.href = href;
    for (const node of this.anchors.values()) node.remove();
    this.anchors.clear();
    this.changed();
  }
  show(selector: string): FakeNode {
    const node = new FakeNode(selector);
    this.anchors.set(selector, node);
    this.changed();
    return node;
  }
}

interface Mounted {
  anchor: FakeNode;
  ctx: MountContext;
  root: FakeNode;
}

const EVERY_PAGE: AdoPageKind[] = ['repoFiles', 'repoHome', 'branches', 'pullRequest', 'pullRequestCreate'];
const anchorFor = (selector: string, pages = EVERY_PAGE): Anchor => ({ selector, pages, place: 'inside', source: 'test', confidence: 'high' });

function fakeFeature(id: FeatureId, include: Feature['include'], anchors: (string | Anchor)[]): Feature & { mounts: Mounted[] } {
  const mounts: Mounted[] = [];
  return {
    id,
    title: id,
    include,
    anchors: anchors.map((a) => (typeof a === 'string' ? anchorFor(a) : a)),
    mounts,
    mount(anchor, ctx) {
      const root = new FakeNode(`${id}-root`);
      mounts.push({ anchor: anchor as unknown as FakeNode, ctx, root });
      return root as unknown as Element;
    },
  };
}

const REPO = 'https://dev.azure.com/fabrikam/Platform/_git/Platform';
const flush = () => vi.advanceTimersByTimeAsync(0);

let page: FakePage;
let clone: ReturnType<typeof fakeFeature>;
let reviewers: ReturnType<typeof fakeFeature>;
let stop: () => void;

beforeEach(() => {
  vi.useFakeTimers();
  page = new FakePage();
  clone = fakeFeature('clone-to-desktop', [(p) => isRepoFiles(p), (p) => isBranches(p)], ['.preferred-anchor', '.repos-files-header-commandbar']);
  reviewers = fakeFeature('pull-request-reviewers', [(p, url) => isPullRequest(p) && url.searchParams.get('_a') !== 'files'], ['.repos-overview-right-pane']);
  ({ stop } = startRegistry([clone, reviewers], page, { anchorTimeoutMs: 5000 }));
});

afterEach(() => {
  stop();
  vi.useRealTimers();
});

describe('feature registry', () => {
  it('leaves a feature that has nothing for the page alone until the view changes, and frees its place in the dock', async () => {
    let calls = 0;
    const nothing: Feature = { id: 'forks-as-remotes', title: 'forks', include: [(p) => isRepoFiles(p)], anchors: [anchorFor('.nothing-anchor')], mount: () => (calls++, undefined) };
    stop();
    page = new FakePage();
    ({ stop } = startRegistry([nothing], page, { anchorTimeoutMs: 5000 }));
    await flush();
    // No anchor in time: it is offered a place in the dock, draws nothing there, and the place goes.
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(1);
    expect(page.slots.map((s) => s.isConnected)).toEqual([false]);
    // A late anchor is tried once; page changes after that cost nothing.
    page.show('.nothing-anchor');
    await flush();
    for (let i = 0; i < 5; i++) page.changed();
    await flush();
    expect(calls).toBe(2);
    page.navigate(`${REPO}?path=/other`);
    page.show('.nothing-anchor');
    await flush();
    expect(calls).toBe(3);
  });

  it('tries a feature that drew nothing again once the page replaces the anchor it was given (Back runs the view on the old page)', async () => {
    stop();
    page = new FakePage();
    page.href = `${REPO}/pullrequest/6`;
    // What it reads from the page: the previous pull request's header has no fork, the new one's has.
    const seen: string[] = [];
    const fork: Feature = {
      id: 'forks-as-remotes',
      title: 'forks',
      include: [(p) => isPullRequest(p)],
      anchors: [anchorFor('.repos-pr-header')],
      mount: (anchor) => (seen.push((anchor as unknown as FakeNode).name), (anchor as unknown as FakeNode).name === 'header of 6' ? (new FakeNode('fork-root') as unknown as Element) : undefined),
    };
    const old = new FakeNode('header of 1');
    page.anchors.set('.repos-pr-header', old);
    ({ stop } = startRegistry([fork], page, { anchorTimeoutMs: 5000 }));
    await flush();
    expect(seen).toEqual(['header of 1']);
    for (let i = 0; i < 3; i++) page.changed();
    await flush();
    expect(seen).toEqual(['header of 1']);
    // The page draws the pull request of the URL: the old header goes, the new one comes.
    old.remove();
    page.anchors.delete('.repos-pr-header');
    page.changed();
    const header = new FakeNode('header of 6');
    page.anchors.set('.repos-pr-header', header);
    page.changed();
    await flush();
    expect(seen).toEqual(['header of 1', 'header of 6']);
    for (let i = 0; i < 3; i++) page.changed();
    await flush();
    expect(seen).toHaveLength(2);
  });

  it('mounts a feature once when its anchor appears, and not again while the view stays', async () => {
    await flush();
    expect(clone.mounts).toHaveLength(0);
    const anchor = page.show('.preferred-anchor');
    await flush();
    expect(clone.mounts).toHaveLength(1);
    expect(clone.mounts[0]!.anchor).toBe(anchor);
    expect(clone.mounts[0]!.ctx).toMatchObject({ floating: false, page: { page: 'repoFiles', repository: 'Platform' } });
    for (let i = 0; i < 5; i++) page.changed();
    page.show('.repos-files-header-commandbar');
    await flush();
    expect(clone.mounts).toHaveLength(1);
    expect(reviewers.mounts).toHaveLength(0);
  });

  it('takes the first selector of its list that is present (newest markup first)', async () => {
    page.anchors.set('.repos-files-header-commandbar', new FakeNode('bar'));
    page.anchors.set('.preferred-anchor', new FakeNode('clone'));
    page.changed();
    await flush();
    expect(clone.mounts[0]!.anchor.name).toBe('clone');
  });

  it('mounts once per view across in-app navigation, and aborts the mount of the view it leaves', async () => {
    const urls = [`${REPO}?version=GBmain`, `${REPO}/branches`, `${REPO}/pullrequest/1`, `${REPO}?path=/docs`, `${REPO}/pullrequest/1?_a=files`];
    const expected = { clone: 0, reviewers: 0 };
    for (let round = 0; round < 10; round++) {
      for (const url of urls) {
        const before = [...clone.mounts, ...reviewers.mounts];
        page.navigate(url);
        await flush();
        // Everything mounted in the previous view is gone with it.
        for (const m of before) {
          expect(m.ctx.signal.aborted).toBe(true);
          expect(m.root.isConnected).toBe(false);
        }
        page.show('.preferred-anchor');
        page.show('.repos-overview-right-pane');
        await flush();
        if (url.includes('/pullrequest/')) expected.reviewers += url.includes('_a=files') ? 0 : 1;
        else expected.clone += 1;
        expect({ clone: clone.mounts.length, reviewers: reviewers.mounts.length }).toEqual(expected);
      }
    }
    expect(page.views.slice(-urls.length)).toEqual(['repoFiles', 'branches', 'pullRequest', 'repoFiles', 'pullRequest']);
  });

  it('treats a change of the fragment alone as the same view', async () => {
    page.show('.preferred-anchor');
    await flush();
    page.href += '#L10';
    page.changed();
    await flush();
    expect(clone.mounts).toHaveLength(1);
    expect(clone.mounts[0]!.ctx.signal.aborted).toBe(false);
  });

  it('mounts again, in the same view, when the page re-renders the part it sat in', async () => {
    const first = page.show('.preferred-anchor');
    await flush();
    // The page replaces its command bar: our node goes with it.
    first.remove();
    clone.mounts[0]!.root.remove();
    page.anchors.delete('.preferred-anchor');
    page.changed();
    await flush();
    expect(clone.mounts[0]!.ctx.signal.aborted).toBe(true);
    expect(clone.mounts).toHaveLength(1);
    page.show('.preferred-anchor');
    await flush();
    expect(clone.mounts).toHaveLength(2);
    expect(clone.mounts[1]!.ctx.signal.aborted).toBe(false);
  });

  it('gives up re-mounting on a page that keeps re-rendering', async () => {
    for (let i = 0; i < 50; i++) {
      page.show('.preferred-anchor');
      await flush();
      clone.mounts.at(-1)?.root.remove();
      page.changed();
      await flush();
    }
    expect(clone.mounts.length).toBe(20);
  });

  it('keeps up with a page that re-renders now and then', async () => {
    for (let i = 0; i < 50; i++) {
      page.show('.preferred-anchor');
      await flush();
      clone.mounts.at(-1)?.root.remove();
      page.changed();
      await vi.advanceTimersByTimeAsync(500);
    }
    page.show('.preferred-anchor');
    await flush();
    expect(clone.mounts.length).toBe(51);
  });

  it('shows a feature floating and reports the missing anchor when none appears in time', async () => {
    await vi.advanceTimersByTimeAsync(4999);
    expect(clone.mounts).toHaveLength(0);
    expect(page.missing).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(page.missing).toEqual([{ feature: 'clone-to-desktop', page: 'repoFiles', selectors: ['.preferred-anchor', '.repos-files-header-commandbar'] }]);
    expect(clone.mounts).toHaveLength(1);
    expect(clone.mounts[0]!.ctx.floating).toBe(true);
    expect(clone.mounts[0]!.anchor.name).toBe('dock:clone-to-desktop');
    // A late anchor wins over the dock.
    page.show('.repos-files-header-commandbar');
    await flush();
    expect(clone.mounts[0]!.ctx.signal.aborted).toBe(true);
    expect(clone.mounts[0]!.anchor.isConnected).toBe(false);
    expect(clone.mounts).toHaveLength(2);
    expect(clone.mounts[1]!.ctx.floating).toBe(false);
    expect(page.missing).toHaveLength(1);
  });

  it("looks only for the anchors listed for the page's kind, and reports those", async () => {
    stop();
    const kinds = fakeFeature('clone-to-desktop', [(p) => isRepoFiles(p), (p) => isBranches(p)], [anchorFor('.files-bar', ['repoFiles']), anchorFor('.branches-bar', ['branches'])]);
    ({ stop } = startRegistry([kinds], page, { anchorTimeoutMs: 5000 }));
    // The Branches page's place appears on a files page: not ours to take.
    page.show('.branches-bar');
    await vi.advanceTimersByTimeAsync(5000);
    expect(kinds.mounts.map((m) => m.anchor.name)).toEqual(['dock:clone-to-desktop']);
    expect(page.missing).toEqual([{ feature: 'clone-to-desktop', page: 'repoFiles', selectors: ['.files-bar'] }]);
    page.navigate(`${REPO}/branches`);
    page.show('.branches-bar');
    await flush();
    expect(kinds.mounts.at(-1)!.anchor.name).toBe('.branches-bar');
    expect(kinds.mounts.at(-1)!.ctx.floating).toBe(false);
  });

  it('does not fall back after the view was left', async () => {
    page.navigate('https://dev.azure.com/fabrikam/Platform');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(clone.mounts).toHaveLength(0);
    expect(page.missing).toEqual([]);
  });

  it('costs nothing on pages where no feature applies: no settings asked, no anchor looked for', async () => {
    page.navigate('https://dev.azure.com/fabrikam/Platform');
    await flush();
    const asked = page.settingsAsked;
    const queries = page.queries;
    for (let i = 0; i < 100; i++) page.changed();
    page.navigate('https://dev.azure.com/fabrikam/_pulls');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(page.settingsAsked).toBe(asked);
    expect(page.queries).toBe(queries);
    page.navigate('https://example.com/fabrikam/Platform/_git/Platform');
    await flush();
    expect(page.views.at(-1)).toBeUndefined();
    expect(page.queries).toBe(queries);
  });

  it('does not mount features the user switched off', async () => {
    page.off.add('clone-to-desktop');
    page.navigate(`${REPO}?version=GBdev`);
    page.show('.preferred-anchor');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(clone.mounts).toHaveLength(0);
    expect(page.missing).toEqual([]);
  });

  it('recognises Azure DevOps Server pages with the servers it is told', async () => {
    stop();
    const onprem = new FakePage();
    onprem.href = 'https://tfs.fabrikam.test/tfs/DefaultCollection/Legacy/_git/tfs-tools?version=GBmaster';
    const other = fakeFeature('clone-to-desktop', [(p) => isRepoFiles(p)], ['.preferred-anchor']);
    ({ stop } = startRegistry([other], onprem, { parse: (url) => parseAdoUrl(url, { onPremHosts: ['tfs.fabrikam.test'] }) }));
    onprem.show('.preferred-anchor');
    await flush();
    expect(other.mounts.map((m) => m.ctx.page)).toMatchObject([{ hostKind: 'onprem', organization: 'DefaultCollection', repository: 'tfs-tools', branch: 'master' }]);
    // Without them the page is not recognised, and nothing runs.
    stop();
    const blind = new FakePage();
    blind.href = onprem.href;
    ({ stop } = startRegistry([other], blind));
    blind.show('.preferred-anchor');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(other.mounts).toHaveLength(1);
    expect(blind.views).toEqual([undefined]);
  });

  it('stops everything when stopped', async () => {
    page.show('.preferred-anchor');
    await flush();
    stop();
    expect(clone.mounts[0]!.ctx.signal.aborted).toBe(true);
    expect(page.listeners.size).toBe(0);
  });
});
