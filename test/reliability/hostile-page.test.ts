/**
 * A hostile page (scripts in the page's own world on dev.azure.com) trying to make the extension
 * act: posting our message shapes, imitating our buttons and clicking our real one with synthetic
 * events, calling the extension directly. None of it may reach the background or start anything
 * in the companion; a person's real click still works.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { ADO_COMPANION_CHROME_ID } from '../../src/shared/extension-ids';
import { ask, startRig, waitUntil, type Rig } from './harness';

let sandbox: Sandbox;
let rig: Rig;
let page: Page;
let cdp: CDPSession;
let platform: { id: string; name: string; project: string };

const BUTTON = '[data-adoc="clone-to-desktop"]';
const POPOVER = '[data-adoc="popover"]';

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  rig = await startRig(sandbox);
  expect(await ask(rig.page, { type: 'companion.setCloneRoot', cloneRoot: rig.cloneRoot })).toMatchObject({ ok: true });
  const repos = await ask(rig.page, { type: 'repos.list' });
  const repo = (repos.data as { items: { id: string; name: string; project: { name: string } }[] }).items.find((r) => r.name === 'Platform')!;
  platform = { id: repo.id, name: repo.name, project: repo.project.name };
  await listenInBackground();
  page = await rig.session.open('https://dev.azure.com/_sandbox/signin?user=ada&returnUrl=/fabrikam/Platform/_git/Platform');
  await page.waitForSelector(BUTTON, { timeout: 20_000 });
  cdp = await page.createCDPSession();
  // The button's own first requests (companion status, where it would clone) are done.
  await waitUntil('the button to finish loading', () => heard().then((h) => h.some((m) => m.type === 'clone.plan') || undefined));
});
afterAll(async () => {
  await rig?.close();
  await sandbox?.close();
});

interface Heard {
  via: 'message' | 'port' | 'connect' | 'external' | 'connectExternal';
  type?: string;
  name?: string;
  url?: string;
}

/** Records, in the service worker, everything that reaches it (besides the extension's own handlers). */
async function listenInBackground(): Promise<void> {
  const worker = await rig.session.worker();
  await worker.evaluate(() => {
    const g = globalThis as unknown as { heard?: Heard[] };
    if (g.heard) return;
    const log: Heard[] = [];
    g.heard = log;
    chrome.runtime.onMessage.addListener((m: { type?: string }, sender) => void log.push({ via: 'message', type: String(m?.type), url: sender.url }));
    chrome.runtime.onMessageExternal.addListener((m: { type?: string }, sender) => void log.push({ via: 'external', type: String(m?.type), url: sender.url }));
    chrome.runtime.onConnect.addListener((port) => {
      log.push({ via: 'connect', name: port.name, url: port.sender?.url });
      port.onMessage.addListener((m: { type?: string }) => void log.push({ via: 'port', type: String(m?.type), url: port.sender?.url }));
    });
    chrome.runtime.onConnectExternal.addListener((port) => void log.push({ via: 'connectExternal', name: port.name }));
  });
}

async function heard(): Promise<Heard[]> {
  const worker = await rig.session.worker();
  return worker.evaluate(() => [...((globalThis as unknown as { heard: Heard[] }).heard ?? [])]);
}

/**
 * What a hostile page must never get the background to hear: anything from outside the extension,
 * and from the Azure DevOps tab anything but the button's own look-ups. (The extension's own pages
 * may ask what they like.) A look-up may come through a port (the panels' waiting line asks so);
 * opening one asks nothing by itself, what is sent on it is checked.
 */
const LOOK_UPS = ['features.settings', 'page.context', 'companion.status', 'clone.plan', 'features.missingAnchor', 'features.load'];
const dangerous = (h: Heard) =>
  h.via === 'external' ||
  h.via === 'connectExternal' ||
  (!h.url?.startsWith('chrome-extension://') && h.via !== 'connect' && !((h.via === 'message' || h.via === 'port') && LOOK_UPS.includes(h.type ?? '')));

/** Requests the companion was sent (its log names each request's type). */
const companionRequests = (): string[] => {
  const log = join(rig.home.home, '.local/state/ado-companion/logs/companion.log');
  if (!existsSync(log)) return [];
  return [...readFileSync(log, 'utf8').matchAll(/ (\S+) (hello|configure|clone|localClones|sshKey|sshTest|open|fetch|addRemote|cancel)$/gm)].map((m) => m[2]!);
};

/**
 * A node inside one of our closed shadow roots, found through DevTools (a page cannot get there)
 * and handed to the page's own world: the worst case, a page that somehow holds our real button.
 * Without `text`, the widget's first button.
 */
async function ourButtonInPageWorld(host: string, text?: string): Promise<string | undefined> {
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  type Node = (typeof root) & { children?: Node[]; shadowRoots?: Node[]; contentDocument?: Node };
  const textOf = (n: Node): string => (n.nodeType === 3 ? n.nodeValue : (n.children ?? []).map(textOf).join(''));
  const attr = (n: Node, name: string) => {
    const a = n.attributes ?? [];
    for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1];
    return undefined;
  };
  const find = (n: Node, inside: boolean): Node | undefined => {
    if (inside && n.nodeName === 'BUTTON' && (text === undefined || textOf(n).trim() === text)) return n;
    const nowInside = inside || attr(n, 'data-adoc') === host;
    for (const c of [...(n.children ?? []), ...(n.shadowRoots ?? [])]) {
      const hit = find(c, nowInside);
      if (hit) return hit;
    }
    return undefined;
  };
  const node = find(root as Node, false);
  if (!node) return undefined;
  const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: node.backendNodeId });
  return object.objectId;
}

async function syntheticClicks(objectId: string): Promise<void> {
  await cdp.send('Runtime.callFunctionOn', {
    objectId,
    functionDeclaration: `function () {
      // One click only: a second would close what the first opened.
      this.click();
      this.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      this.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
      this.dispatchEvent(new KeyboardEvent('keyup', { key: ' ', bubbles: true, composed: true }));
    }`,
  });
}

const settle = () => new Promise((r) => setTimeout(r, 1000));

describe('a hostile page', () => {
  it('posting messages in our shapes (window.postMessage) has no effect', async () => {
    const before = (await heard()).length;
    await page.evaluate(
      (repo, taskId) => {
        const shapes = [
          { type: 'clone.start', repo, taskId },
          { type: 'clone.start', repo, taskId, partial: true, protocol: 'https' },
          { type: 'ssh.key', action: 'generate' },
          { type: 'profiles.list' },
          { type: 'profiles.export' },
          { reply: { ok: true, data: { path: '/tmp/x', branch: 'main' } } },
          { progress: { phase: 'receiving', percent: 50 } },
          { id: 'r1', type: 'clone', url: 'https://dev.azure.com/fabrikam/Platform/_git/Platform', root: '/tmp', folder: 'x' },
        ];
        for (const shape of shapes) {
          window.postMessage(shape, '*');
          window.postMessage(shape, location.origin);
          window.postMessage(JSON.stringify(shape), '*');
          document.dispatchEvent(new CustomEvent('adoc', { detail: shape }));
        }
      },
      platform,
      randomUUID(),
    );
    await settle();
    expect((await heard()).slice(before).filter(dangerous)).toEqual([]);
    expect(companionRequests()).not.toContain('clone');
  });

  it('imitating our button and clicking our real one with synthetic events starts nothing; a real click still opens it', async () => {
    const before = (await heard()).length;
    const fromPage = await page.evaluate((selector) => {
      // An imitation with our class names and marker, clicked.
      const fake = document.createElement('span');
      fake.className = 'adoc-host adoc-clone-to-desktop';
      fake.dataset.adoc = 'clone-to-desktop';
      fake.innerHTML = '<button class="adoc-button" type="button">Clone to desktop</button>';
      document.querySelector('.bolt-header-commandbar-button-group')?.append(fake);
      fake.querySelector('button')!.click();
      // Our real one: its inside is closed to the page; clicks on its outside.
      const real = [...document.querySelectorAll<HTMLElement>(selector)].find((el) => el !== fake)!;
      const shadow = real.shadowRoot;
      real.click();
      real.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      real.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      fake.remove();
      return { shadowVisible: shadow !== null };
    }, BUTTON);
    expect(fromPage.shadowVisible).toBe(false);

    // Even holding our real button, synthetic clicks do nothing.
    const trigger = await ourButtonInPageWorld('clone-to-desktop');
    expect(trigger, 'the clone button inside its shadow root').toBeDefined();
    await syntheticClicks(trigger!);
    await settle();
    expect(await page.$(POPOVER)).toBeNull();

    // A person's click opens the panel (so the synthetic ones above were really ignored, not missed).
    const box = await page.evaluate((selector) => {
      const r = document.querySelector(selector)!.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }, BUTTON);
    await page.mouse.click(box.x, box.y);
    await page.waitForSelector(POPOVER, { timeout: 5_000 });

    // The panel's Clone button, clicked by the page: no clone starts.
    const cloneButton = await waitUntil('the panel to offer Clone', () => ourButtonInPageWorld('popover', 'Clone'), 15_000, 200);
    await syntheticClicks(cloneButton);
    await settle();
    expect((await heard()).slice(before).filter(dangerous)).toEqual([]);
    expect(companionRequests()).not.toContain('clone');
    expect(existsSync(join(rig.cloneRoot, 'fabrikam'))).toBe(false);
    await page.keyboard.press('Escape');
  });

  it('cannot call the extension: chrome.runtime.sendMessage / connect to our id are not there for it', async () => {
    const before = (await heard()).length;
    const outcome = await page.evaluate(async (id) => {
      const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: unknown; connect?: unknown } } }).chrome?.runtime;
      const tries: string[] = [];
      if (typeof runtime?.sendMessage !== 'function' && typeof runtime?.connect !== 'function') tries.push('no runtime');
      try {
        const answer = await (runtime as { sendMessage(id: string, m: unknown): Promise<unknown> }).sendMessage(id, { type: 'profiles.list' });
        tries.push(`answered ${JSON.stringify(answer)}`);
      } catch (e) {
        tries.push(`sendMessage threw: ${(e as Error).message}`);
      }
      try {
        (runtime as { connect(id: string, o: unknown): unknown }).connect(id, { name: 'task' });
        tries.push('connected');
      } catch (e) {
        tries.push(`connect threw: ${(e as Error).message}`);
      }
      return tries;
    }, ADO_COMPANION_CHROME_ID);
    expect(outcome[0]).toBe('no runtime');
    expect(outcome.slice(1).every((t) => t.includes(' threw: '))).toBe(true);
    await settle();
    expect((await heard()).slice(before).filter(dangerous)).toEqual([]);
  });
});
