import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUDGETS, checkSizes, gzipSize, measureBundles, pageScripts, staticImports } from '../../scripts/check-sizes.mjs';

const script = resolve(import.meta.dirname, '../../scripts/check-sizes.mjs');
let dist: string;

function put(path: string, content: string | Buffer): void {
  const file = join(dist, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

const page = (entry: string, preload: string) =>
  `<!doctype html><html><head><script type="module" crossorigin src="${entry}"></script>` +
  `<link rel="modulepreload" crossorigin href="${preload}"><link rel="stylesheet" href="/x.css"></head><body></body></html>`;

/** A build whose every bundle is small: it passes every budget. */
function smallBuild(): void {
  put('chrome/src/content/index.js', 'console.log("content");');
  put('chrome/src/content/panels.js', 'console.log("panels");');
  put('chrome/src/background/index.js', 'console.log("worker");');
  put('chrome/shared.js', 'export const shared = 1;');
  put('chrome/src/popup/index.html', page('/src/popup/index.js', '/shared.js'));
  put('chrome/src/popup/index.js', 'import{shared as s}from"../../shared.js";import"./lazy-free.js";console.log(s);');
  put('chrome/src/popup/lazy-free.js', 'console.log("imported statically, not preloaded");');
  // The popup's app, which its page script loads right after the first frame.
  put('chrome/main.js', 'import{shared as s}from"./shared.js";import"./app-part.js";console.log("app", s);');
  put('chrome/app-part.js', 'console.log("a static import of the app");');
  put('chrome/src/options/index.html', page('/src/options/index.js', '/shared.js'));
  put('chrome/src/options/index.js', 'import{shared as s}from"../../shared.js";console.log(s);');
  put('host/ado-companion-host.mjs', 'console.log("host");');
}

beforeEach(() => {
  dist = mkdtempSync(join(tmpdir(), 'check-sizes-'));
  smallBuild();
});
afterEach(() => rmSync(dist, { recursive: true, force: true }));

describe('check-sizes', () => {
  it('passes a build within budget', () => {
    const lines: string[] = [];
    expect(checkSizes(dist, (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).not.toContain('OVER BUDGET');
  });

  it('holds the content script every page loads to the product target, 15 KB gzipped', () => {
    expect(BUDGETS.find((b) => b.name === 'content script')).toMatchObject({ path: 'chrome/src/content/index.js', budget: 15 * 1024 });
    // The features' own code, loaded on first use, has a budget of its own.
    expect(BUDGETS.find((b) => b.name === 'content panels')?.path).toBe('chrome/src/content/panels.js');
  });

  it('fails on an oversized content script and names it', () => {
    // Random bytes do not compress: 1 KB more of them than the budget, as base64, stay just above it.
    const budget = BUDGETS.find((b) => b.name === 'content script')!.budget;
    put('chrome/src/content/index.js', randomBytes(budget + 1024).toString('base64'));
    const lines: string[] = [];
    expect(checkSizes(dist, (l) => lines.push(l))).toBe(1);
    const out = lines.join('\n');
    expect(out).toMatch(/content script .*OVER BUDGET/);
    expect(out).toContain('check:sizes: content script is over budget');
    expect(out).not.toContain('service worker is over budget');
  });

  it('counts every chunk a page loads, shared ones included, and the popup’s app loaded after its first frame', () => {
    const popup = measureBundles(dist).find((m) => m.name === 'popup')!;
    expect(popup.files.toSorted()).toEqual(['chrome/app-part.js', 'chrome/main.js', 'chrome/shared.js', 'chrome/src/popup/index.js', 'chrome/src/popup/lazy-free.js']);
    // A big shared chunk pushes the page over its budget although the page's own file is tiny.
    const budget = Math.max(...BUDGETS.filter((b) => b.name === 'popup' || b.name === 'options').map((b) => b.budget));
    put('chrome/shared.js', randomBytes(budget * 2).toString('base64'));
    const lines: string[] = [];
    expect(checkSizes(dist, (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toContain('check:sizes: popup is over budget');
    expect(lines.join('\n')).toContain('check:sizes: options is over budget');
  });

  it('fails when a bundle is missing', () => {
    rmSync(join(dist, 'host'), { recursive: true });
    const lines: string[] = [];
    expect(checkSizes(dist, (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toContain('companion host is missing');
  });

  it('exits 1 from the command line, naming the bundle', () => {
    expect(execFileSync(process.execPath, [script, '--dist', dist], { encoding: 'utf8' })).toContain('content script');
    put('chrome/src/background/index.js', randomBytes(200 * 1024).toString('base64'));
    const run = spawnSync(process.execPath, [script, '--dist', dist], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('service worker is over budget');
  });

  it('reads script references and static imports the way vite writes them', () => {
    expect(pageScripts(page('/a.js', '/b.js'))).toEqual(['/a.js', '/b.js']);
    expect(staticImports('import{a as b}from"../../c.js";import"./d.js";import * as e from "./e.js";const f=import("./lazy.js")')).toEqual([
      '../../c.js',
      './d.js',
      './e.js',
    ]);
    expect(gzipSize(Buffer.alloc(10_000))).toBeLessThan(100);
  });
});
