/**
 * What the reliability cases share: the built extension in real Chromium with the real companion
 * installed for a private HOME (like test/e2e), plus ways to hurt them: sandbox faults, a stopped
 * worker, a killed companion. `RELIABILITY_DIST` points at another build (a copy with a protection
 * removed, to prove a case fails without it) instead of `dist/`. Processes are found through /proc
 * (Linux), by the private HOME in their environment, so parallel test runs never see each other's.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { Page } from 'puppeteer-core';
import type { Sandbox } from '../../sandbox/index';
import type { FaultSpec } from '../../sandbox/faults';
import { ADO_COMPANION_CHROME_ID } from '../../src/shared/extension-ids';
import { gitEnvWithPat, launch, privateHome, repoRoot, type Session } from '../e2e/harness';

export const distRoot = resolve(process.env.RELIABILITY_DIST ?? join(repoRoot, 'dist'));
const run = promisify(execFile);

export interface Rig {
  session: Session;
  home: Awaited<ReturnType<typeof privateHome>>;
  /** An extension page to ask from (the options page). */
  page: Page;
  cloneRoot: string;
  close(): Promise<void>;
}

/** Chromium with the extension and the companion installed for a private HOME, a PAT profile added. */
export async function startRig(sandbox: Sandbox, opts: { profile?: boolean } = {}): Promise<Rig> {
  const home = await privateHome();
  const userDataDir = await mkdtemp(join(tmpdir(), 'adoc-profile-'));
  // Asynchronous: nothing here may block the event loop that serves the sandbox.
  await run(
    process.execPath,
    [join(distRoot, 'host/ado-companion-host.mjs'), 'install', '--browser', 'chromium', '--user-data-dir', userDataDir, '--extension-id', ADO_COMPANION_CHROME_ID],
    { env: { ...process.env, ...home.env } },
  );
  const session = await launch(sandbox, { extensionDir: join(distRoot, 'chrome'), userDataDir, env: home.env });
  const page = await session.openExtensionPage('options');
  const cloneRoot = join(home.home, 'code');
  if (opts.profile !== false) {
    const added = await ask(page, { type: 'profiles.addPat', organization: 'fabrikam', pat: sandbox.pats.fabrikam });
    if (!added.ok) throw new Error(`adding the PAT profile failed: ${JSON.stringify(added)}`);
  }
  return {
    session,
    home,
    page,
    cloneRoot,
    async close() {
      await session.close();
      await rm(userDataDir, { recursive: true, force: true });
      await home.cleanup();
    },
  };
}

export type Reply = { ok: boolean; data?: unknown; error?: { code: string; message: string } };

/** Sends a request as an extension page would (runtime.sendMessage), and gives back the reply. */
export function ask(page: Page, request: unknown): Promise<Reply> {
  return page.evaluate((r) => chrome.runtime.sendMessage(r), request as object) as Promise<Reply>;
}

let askBundle: Promise<string> | undefined;

/**
 * Loads the product's own asker (src/shared/ask.ts, the code the popup and content scripts use)
 * into a page as `globalThis.adocAsk`, so a case sees what a user's page would see.
 */
export async function loadProductAsker(page: Page): Promise<void> {
  askBundle ??= build({
    entryPoints: [join(repoRoot, 'src/shared/ask.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'adocAsk',
    target: 'es2022',
    logLevel: 'silent',
  }).then((r) => `${r.outputFiles[0]!.text};globalThis.adocAsk = adocAsk;`);
  await page.evaluate(await askBundle);
}

/**
 * Starts a request through the product's asker without waiting (`askWithProgress`, a port, as long
 * tasks do; or `ask`, runtime.sendMessage): its outcome is kept in the page under `key`
 * (`{ ok, data }` or `{ ok: false, code, message }`) for `taskOutcome` to read.
 */
export async function startTask(page: Page, key: string, request: unknown, via: 'askWithProgress' | 'ask' = 'askWithProgress'): Promise<void> {
  await page.evaluate(
    (k, r, how) => {
      const g = globalThis as unknown as Record<string, unknown> & {
        adocAsk: { askWithProgress(r: unknown, p: (e: unknown) => void): Promise<unknown>; ask(r: unknown): Promise<unknown> };
      };
      g[k] = (how === 'ask' ? g.adocAsk.ask(r) : g.adocAsk.askWithProgress(r, () => undefined)).then(
        (data) => ({ ok: true, data }),
        (e: { code?: string; message?: string }) => ({ ok: false, code: e.code, message: e.message }),
      );
    },
    key,
    request as object,
    via,
  );
}

export type TaskOutcome = { ok: true; data: Record<string, unknown> } | { ok: false; code: string; message: string };

/** The outcome of `startTask`, or a failure when none came within `timeoutMs` (a hang). */
export async function taskOutcome(page: Page, key: string, timeoutMs: number): Promise<TaskOutcome | 'no answer'> {
  return page.evaluate(
    (k, ms) => Promise.race([(globalThis as unknown as Record<string, Promise<unknown>>)[k]!, new Promise((r) => setTimeout(() => r('no answer'), ms))]),
    key,
    timeoutMs,
  ) as Promise<TaskOutcome | 'no answer'>;
}

export async function addFault(sandbox: Sandbox, spec: FaultSpec): Promise<void> {
  const res = await sandbox.fetch('https://dev.azure.com/_sandbox/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
  if (res.status !== 201) throw new Error(`fault refused: ${res.status} ${await res.text()}`);
}

export async function clearFaults(sandbox: Sandbox): Promise<void> {
  await sandbox.fetch('https://dev.azure.com/_sandbox/faults', { method: 'DELETE' });
}

interface ProcessInfo {
  pid: number;
  comm: string;
  cmdline: string[];
}

/** Processes whose environment has HOME={home}: the browser of one rig and everything it started. */
export function processesOf(home: string): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      if (!environ.includes(`HOME=${home}`)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Zombies have finished: they hold no files and do nothing.
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      out.push({ pid: Number(name), comm: readFileSync(`/proc/${name}/comm`, 'utf8').trim(), cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0') });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return out;
}

/** The running companion hosts of one rig (the installed bundle, started by Chromium). */
export const companionPids = (home: string): number[] =>
  processesOf(home)
    .filter((p) => p.cmdline.some((a) => a.endsWith('ado-companion-host.mjs')) && p.cmdline.some((a) => a.startsWith('chrome-extension://')))
    .map((p) => p.pid);

/** git and its helpers (git-remote-https, index-pack…) still running for one rig. */
export const gitProcesses = (home: string): ProcessInfo[] => processesOf(home).filter((p) => p.comm.startsWith('git'));

/** Polls `check` until it answers something other than undefined, or throws after `timeoutMs`. */
export async function waitUntil<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A branch besides the default one, read from the server with git (asynchronously: the sandbox runs in this process). */
export async function otherBranch(sandbox: Sandbox, project: string, repo: string): Promise<string> {
  const url = `https://dev.azure.com/fabrikam/${encodeURIComponent(project)}/_git/${encodeURIComponent(repo)}`;
  const { stdout } = await run('git', ['ls-remote', '--heads', url], { env: gitEnvFor(sandbox) });
  const branch = stdout
    .split('\n')
    .map((l) => l.split('refs/heads/')[1])
    .find((b) => b && b !== 'main');
  if (!branch) throw new Error(`${project}/${repo} should have a branch besides main`);
  return branch;
}

/** git's environment for reaching the sandbox with Ada's fabrikam PAT. */
export const gitEnvFor = (sandbox: Sandbox): NodeJS.ProcessEnv => gitEnvWithPat(sandbox, sandbox.pats.fabrikam!);

/** git run asynchronously, for checking a clone. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd })).stdout.trim();
}
