/**
 * The host as a browser starts it: for an extension it was installed for only, frames on stdin
 * and stdout, a log file, and a clean exit when the browser closes the port or asks it to stop.
 *
 * A browser starts the host for every connection and sends `hello` first, waiting for its answer.
 * Evaluating zod and the protocol's schemas is most of the host's own start, so this part loads
 * neither: it checks the caller, answers a plain `hello` by hand, and only then loads the rest
 * (serve.ts), which handles every other frame, including a `hello` this part did not take.
 */
import type { Readable } from 'node:stream';
import { MAX_FRAME_FROM_BROWSER, MAX_FRAME_TO_BROWSER } from '../shared/host-constants';
import { callerOf, isAllowedCaller } from './caller';
import { logFile, type CompanionDirs } from './companion-dirs';
import { encodeFrame } from './frame-codec';
import type { GitVersionLookup } from './git-version-cache';
import { helloData, isPlainHello } from './hello';
import { fileLogger } from './log';
import { Redactor } from './redact';
import { COMPANION_VERSION } from './version';

export interface NativeMessagingStart {
  home: string;
  dirs: CompanionDirs;
  /** `git --version`, already asked or remembered (see main.ts). */
  git: GitVersionLookup;
}

export async function nativeMessaging({ home, dirs, git }: NativeMessagingStart): Promise<void> {
  const gitVersion = git.version;
  const redactor = new Redactor();
  const log = fileLogger(logFile(dirs), redactor);
  // stdout carries frames only: anything printed by accident goes to the log.
  console.log = console.info = console.debug = console.warn = (...args: unknown[]) => log.warn(`console: ${args.map(String).join(' ')}`);
  process.on('uncaughtException', (error) => {
    log.error(`uncaught: ${error.stack ?? error.message}`);
    process.exit(70);
  });
  process.on('unhandledRejection', (reason) => log.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
  const args = process.argv.slice(2);
  log.info(`started ${COMPANION_VERSION} (node ${process.versions.node}) for ${args.join(' ') || 'no caller'}`);
  // Checked before anything else runs (even the sweep in serve.ts writes): one error frame, then exit.
  const caller = callerOf(args);
  if (!caller || !isAllowedCaller(caller, dirs.install)) {
    const message = caller
      ? `${caller.id} is not an extension the companion was installed for; install the companion again with --extension-id ${caller.id} to allow it`
      : 'the companion serves only a browser extension it was installed for; it was started without one';
    log.warn(`refused the caller: ${message}`);
    process.stdout.write(encodeFrame({ id: null, ok: false, error: { code: 'FORBIDDEN_CALLER', message } }, MAX_FRAME_TO_BROWSER)!, () => process.exit(3));
    return;
  }
  let pending = await firstFrame(process.stdin);
  const hello = plainHello(pending);
  if (hello) {
    log.info(`${hello.id} hello`);
    const data = await helloData({ platform: process.platform, env: process.env, log, gitVersion: () => gitVersion });
    process.stdout.write(encodeFrame({ id: hello.id, ok: true, data }, MAX_FRAME_TO_BROWSER)!);
    pending = pending.subarray(hello.length);
  }
  // A remembered version is checked with git itself now that nothing waits for it.
  void git.refresh().catch((error: unknown) => log.warn(`checking git's version failed: ${(error as Error).message}`));
  // Before serve.ts and the schemas it imports are evaluated (see zod-setup.ts).
  (await import('./zod-setup')).useJitlessZod();
  const { serve } = await import('./serve');
  await serve({ home, dirs, log, redactor, gitVersion, gitProgram: git.program, pending });
}

/** Reads stdin until it holds one whole frame (or a header too large to wait for, or input ended); leaves it paused. */
function firstFrame(input: Readable): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = () => {
      input.off('data', onData);
      input.off('end', done);
      input.off('error', done);
      input.pause();
      resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length < 4) return;
      const size = (chunks.length === 1 ? chunk : Buffer.concat(chunks)).readUInt32LE(0);
      if (size > MAX_FRAME_FROM_BROWSER || length >= 4 + size) done();
    };
    input.on('data', onData);
    input.once('end', done);
    input.once('error', done);
  });
}

/** The first frame of `bytes` when it is a plain `hello` (see isPlainHello), with its length in bytes. */
function plainHello(bytes: Buffer): { id: string; length: number } | undefined {
  if (bytes.length < 4) return undefined;
  const size = bytes.readUInt32LE(0);
  if (size > MAX_FRAME_FROM_BROWSER || bytes.length < 4 + size) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + size)));
  } catch {
    return undefined;
  }
  return isPlainHello(value) ? { id: value.id, length: 4 + size } : undefined;
}
