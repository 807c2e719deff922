/**
 * The companion's log file. stdout belongs to native messaging, and a browser shows a host's
 * stderr nowhere a user looks, so everything goes to a file `doctor` and `hello` name. Every line
 * passes through the redactor; the file is rotated once it grows past a limit.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Redactor } from './redact';

const MAX_LOG_BYTES = 2 * 1024 * 1024;

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  readonly file: string;
}

export function fileLogger(file: string, redactor: Redactor): Logger {
  let ready = false;
  const write = (level: string, message: string) => {
    try {
      if (!ready) {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        ready = true;
      }
      rotateIfLarge(file);
      const line = `${new Date().toISOString()} ${level} [${process.pid}] ${redactor.redact(message).replace(/\r?\n/g, '\n    ')}\n`;
      appendFileSync(file, line, { mode: 0o600 });
    } catch {
      // A log that cannot be written must not take the host down.
    }
  };
  return {
    file,
    info: (m) => write('INFO', m),
    warn: (m) => write('WARN', m),
    error: (m) => write('ERROR', m),
  };
}

function rotateIfLarge(file: string): void {
  try {
    if (statSync(file).size > MAX_LOG_BYTES) renameSync(file, `${file}.1`);
  } catch {
    // No file yet.
  }
}
