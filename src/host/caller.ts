/**
 * Who started the host, and whether the installer let it in. A browser names the caller in argv:
 * Chromium-family browsers pass `chrome-extension://ID/` (on Windows also `--parent-window=N`),
 * Firefox the manifest path and the add-on id. The browser already checks its manifest; the host
 * checks again so that a manifest someone else edited or wrote (pointing at our launcher) does not
 * open the companion to another extension. Allowed are the extension's own ids (every manifest
 * the installer writes names them) and the ids given to `install --extension-id`, which the
 * installer records per manifest in `callers.json` next to the launcher.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ADO_COMPANION_CHROME_ID, ADO_COMPANION_GECKO_ID, GECKO_ID } from '../shared/extension-ids';

export interface Caller {
  browser: 'chromium' | 'firefox';
  /** The Chrome extension id or the Firefox add-on id. */
  id: string;
}

/** manifest path → the extension ids it allows (Chrome ids and Firefox add-on ids alike). */
export type CallerRecord = Record<string, string[]>;

const CHROME_ORIGIN = /^chrome-extension:\/\/([a-p]{32})\/$/;
const PARENT_WINDOW = /^--parent-window=\d+$/;

export const callersFile = (installDir: string): string => join(installDir, 'callers.json');

/** The caller named by the browser's arguments (after node and the script), or undefined. */
export function callerOf(args: readonly string[]): Caller | undefined {
  const [first, ...rest] = args;
  const chrome = first === undefined ? null : CHROME_ORIGIN.exec(first);
  if (chrome && rest.every((arg) => PARENT_WINDOW.test(arg))) return { browser: 'chromium', id: chrome[1]! };
  const [manifestPath, addonId] = args;
  if (args.length === 2 && isAbsolute(manifestPath!) && manifestPath!.endsWith('.json') && GECKO_ID.test(addonId!)) return { browser: 'firefox', id: addonId! };
  return undefined;
}

/** The record `install` wrote; empty when there is none or it cannot be read. */
export function readCallerRecord(installDir: string): CallerRecord {
  try {
    const value = JSON.parse(readFileSync(callersFile(installDir), 'utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    const record: CallerRecord = {};
    for (const [path, ids] of Object.entries(value)) {
      if (Array.isArray(ids)) record[path] = ids.filter((id): id is string => typeof id === 'string');
    }
    return record;
  } catch {
    return {};
  }
}

/** True when the installer let `caller` in. The record is read only for ids other than our own. */
export function isAllowedCaller(caller: Caller, installDir: string): boolean {
  const own = caller.browser === 'firefox' ? ADO_COMPANION_GECKO_ID : ADO_COMPANION_CHROME_ID;
  if (caller.id === own) return true;
  return Object.values(readCallerRecord(installDir)).some((ids) => ids.includes(caller.id));
}
