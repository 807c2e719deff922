/**
 * A section the options page's side menu links to, kept in place while the page draws around it,
 * until the reader's own first scroll, however they make it: the wheel, a key, the scrollbar (shown
 * here: headless Chromium hides it unless told), or something the page hears of only as a scroll.
 */
import type { CDPSession, Page, Protocol } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { launch, type Session } from './harness';
import { addPatProfile } from './ui-steps';

let sandbox: Sandbox;
let session: Session;
let options: Page;
let cdp: CDPSession;

beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
  session = await launch(sandbox, { scrollbars: true });
  options = await session.openExtensionPage('options');
  await options.setViewport({ width: 1100, height: 900 });
  await addPatProfile(options, 'fabrikam', sandbox.pats.fabrikam!);
  cdp = await options.createCDPSession();
});

afterAll(async () => {
  await session?.close();
  await sandbox?.close();
});

type At = { x: number; y: number };
// Input sent straight to the browser, each event right behind the one before: not waiting, as
// Puppeteer's mouse and keyboard do, for the page to be done with it, which takes frames.
const mouse = (event: Protocol.Input.DispatchMouseEventRequest) => cdp.send('Input.dispatchMouseEvent', event);
const key = (event: Protocol.Input.DispatchKeyEventRequest) => cdp.send('Input.dispatchKeyEvent', event);
const click = (at: At) => [mouse({ type: 'mousePressed', ...at, button: 'left', clickCount: 1 }), mouse({ type: 'mouseReleased', ...at, button: 'left', clickCount: 1 })];

const frames = (n: number) =>
  options.evaluate((count) => new Promise<void>((done) => (function next(left: number) { if (left === 0) done(); else requestAnimationFrame(() => next(left - 1)); })(count)), n);
const topOf = (id: string) => options.$eval(`#${id}`, (s) => Math.round(s.getBoundingClientRect().top));
/** Where the section is from where the page can bring it: 0 at the top, or at the end of a page too short for that. */
const offTarget = (id: string) =>
  options.$eval(`#${id}`, (s) => Math.round(scrollY - Math.min(s.getBoundingClientRect().top + scrollY, document.documentElement.scrollHeight - innerHeight)));

/** The middle of the side menu's link to `id`, where a click on it lands. */
async function linkTo(id: string): Promise<At> {
  const box = (await (await options.$(`.options-nav a[href="#${id}"]`))!.boundingBox())!;
  return { x: Math.round(box.x + box.width / 2), y: Math.round(box.y + box.height / 2) };
}

/** The page opened afresh at no section, drawn in full, at its top. */
async function fresh(): Promise<void> {
  await options.evaluate(() => history.replaceState(null, '', location.pathname));
  await options.reload();
  await options.waitForFunction(() => !document.querySelector('.options-content [aria-busy="true"]') && !document.querySelector('.options-content')!.textContent!.includes('Loading…') && !!document.getElementById('groups'), {
    timeout: 20_000,
  });
  // A reload puts the page back where it was.
  await options.evaluate(() => scrollTo(0, 0));
  await frames(2);
  expect(await options.evaluate(() => scrollY)).toBe(0);
}

/** The link to `id` followed (the focus gone into its section, a frame after the page drew it there), and the page still: a key's scroll takes frames. */
async function followed(id: string): Promise<void> {
  await options.waitForFunction((i: string) => !!document.activeElement?.closest(`#${i}`), { timeout: 5000 }, id);
  for (let before = NaN, now = await options.evaluate(() => scrollY); now !== before; now = await options.evaluate(() => scrollY)) {
    before = now;
    await frames(3);
  }
}

/** The page grown above `id` by 600 px, as when the companion's status or the SSH key draws late. */
async function drawnAbove(id: string): Promise<void> {
  await options.$eval(`#${id}`, (s) => s.before(Object.assign(document.createElement('div'), { style: 'height: 600px' })));
  await frames(3);
}

describe('Options › a side menu link followed', () => {
  it('leaves the page where the reader wheeled it right after the click, there as the page grows above', async () => {
    await fresh();
    const link = await linkTo('editor');
    // Chromium scrolls for a wheel a frame or two later than for a key or a press: this one may come
    // in after the keeping has begun (the key and the scrollbar below come in before it).
    await Promise.all([...click(link), mouse({ type: 'mouseWheel', ...link, deltaX: 0, deltaY: -300 })]);
    await followed('editor');
    expect(await topOf('editor')).toBeGreaterThan(250);
    await drawnAbove('editor');
    expect(await topOf('editor')).toBeGreaterThan(250);
  });

  it('leaves the page where the reader paged it up with a key right after the click, there as the page grows above', async () => {
    await fresh();
    const pageUp = { key: 'PageUp', code: 'PageUp', windowsVirtualKeyCode: 33 };
    await Promise.all([...click(await linkTo('editor')), key({ type: 'rawKeyDown', ...pageUp }), key({ type: 'keyUp', ...pageUp })]);
    await followed('editor');
    expect(await topOf('editor')).toBeGreaterThan(500);
    await drawnAbove('editor');
    expect(await topOf('editor')).toBeGreaterThan(500);
  });

  it('leaves the page where the reader dragged the scrollbar right after the click, there as the page grows above', async () => {
    await fresh();
    // Editor just below the top: the link moves the page, and the scrollbar's thumb, only a little.
    await options.evaluate(() => scrollTo(0, document.getElementById('editor')!.getBoundingClientRect().top - 40));
    await frames(2);
    // The middle of the thumb, past the scrollbar's arrow at the top; pressed right after the click, dragged up once the page has moved on.
    const thumb = await options.evaluate(() => ({ x: innerWidth - 7, y: Math.round(15 + ((scrollY + innerHeight / 2) / document.documentElement.scrollHeight) * (innerHeight - 30)) }));
    await Promise.all([...click(await linkTo('editor')), mouse({ type: 'mouseMoved', ...thumb }), mouse({ type: 'mousePressed', ...thumb, button: 'left', clickCount: 1 })]);
    for (const up of [25, 50, 75, 100]) await mouse({ type: 'mouseMoved', x: thumb.x, y: thumb.y - up, button: 'left', buttons: 1 });
    await mouse({ type: 'mouseReleased', x: thumb.x, y: thumb.y - 100, button: 'left', clickCount: 1 });
    await followed('editor');
    expect(await topOf('editor')).toBeGreaterThan(250);
    await drawnAbove('editor');
    expect(await topOf('editor')).toBeGreaterThan(250);
  });

  it('keeps a section near the end in place as the page grows above it, until a scroll the page hears of only as a scroll', async () => {
    await fresh();
    await Promise.all(click(await linkTo('advanced')));
    await followed('advanced');
    await drawnAbove('advanced');
    expect(await offTarget('advanced')).toBe(0);

    // Scrolled with no wheel, key, touch or press the page hears of (as assistive technology may): the reader's own move too.
    await options.evaluate(() => scrollBy(0, -300));
    await frames(2);
    await drawnAbove('advanced');
    expect(await offTarget('advanced')).toBeLessThan(-250);
  });
});
