/**
 * axe-core in the e2e tests: extension pages are scanned in their own world; injected widgets,
 * which live in closed shadow roots, from the content script's world, where
 * `chrome.dom.openOrClosedShadowRoot` can open them for axe.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'puppeteer-core';
import type { ContentWorld } from './page-helpers';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Finding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
  summary: string;
}

/** Only these block: moderate and minor findings are reported by axe but not counted here. */
const BLOCKING = ['serious', 'critical'];

/**
 * An axe run over `context` (an expression for the nodes to scan), as a function's source. Built
 * as text rather than with eval: extension pages and content scripts refuse eval.
 */
const scan = (context: string) => `async (blocking, requireShadow) => {
  const result = await axe.run(${context}, { resultTypes: ['violations'] });
  // A target that is an array of selectors is a path into a shadow root: proof that axe saw into ours.
  if (requireShadow && !result.passes.some((p) => p.nodes.some((n) => n.target.some(Array.isArray)))) throw new Error('axe checked nothing inside a shadow root');
  return result.violations.filter((v) => blocking.includes(v.impact)).map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => JSON.stringify(n.target)),
    summary: v.nodes.map((n) => n.failureSummary).join(' | '),
  }));
}`;

/** Serious and critical findings on an extension page (popup, options). */
export async function scanPage(page: Page): Promise<Finding[]> {
  // Evaluated through DevTools, so the page's CSP (no inline scripts) does not stop it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(`(${scan('document')})(${JSON.stringify(BLOCKING)}, false)`) as Promise<Finding[]>;
}

/**
 * Serious and critical findings inside our widgets on an Azure DevOps page (every host matching
 * `hosts`). The content world has its own copies of the DOM prototypes, so opening `shadowRoot`
 * there changes nothing for the page or for our content script.
 */
export async function scanWidgets(world: ContentWorld, hosts: string): Promise<Finding[]> {
  await world.run(`() => {
    if (!('axe' in globalThis)) { ${axeSource} }
    Object.defineProperty(Element.prototype, 'shadowRoot', { configurable: true, get() { return this instanceof HTMLElement ? chrome.dom.openOrClosedShadowRoot(this) : null; } });
  }`);
  // Our hosts, and the page's bars that hold them (whose rules about their children our buttons
  // must keep); the page's own items in those bars are its business, not ours.
  const context = `(() => {
    const hosts = [...document.querySelectorAll(${JSON.stringify(hosts)})];
    const bars = [...new Set(hosts.map((h) => h.parentElement?.closest('[role=menubar], [role=toolbar], [role=list], [role=tablist]')).filter(Boolean))];
    const theirs = bars.flatMap((b) => [...b.querySelectorAll('*')].filter((e) => !hosts.some((h) => h === e || h.contains(e) || e.contains(h))));
    return { include: [...hosts, ...bars], exclude: theirs };
  })()`;
  return world.run<Finding[]>(scan(context), BLOCKING, true);
}

/** A readable list for a failed expectation. */
export const describeFindings = (findings: Finding[]) => findings.map((f) => `${f.impact} ${f.id}: ${f.help}\n  ${f.targets.join('\n  ')}\n  ${f.summary}`).join('\n');
