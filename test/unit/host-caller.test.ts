import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callerOf, callersFile, isAllowedCaller } from '../../src/host/caller';
import { ADO_COMPANION_CHROME_ID, ADO_COMPANION_GECKO_ID } from '../../src/shared/extension-ids';

const OTHER = 'abcdefghijklmnopabcdefghijklmnop';
const MANIFEST = '/home/ann/.mozilla/native-messaging-hosts/com.azure_devops_companion.host.json';

describe('callerOf: the caller as browsers name it in argv', () => {
  it.each([
    [[`chrome-extension://${ADO_COMPANION_CHROME_ID}/`], { browser: 'chromium', id: ADO_COMPANION_CHROME_ID }],
    [[`chrome-extension://${OTHER}/`, '--parent-window=6620'], { browser: 'chromium', id: OTHER }],
    [[MANIFEST, ADO_COMPANION_GECKO_ID], { browser: 'firefox', id: ADO_COMPANION_GECKO_ID }],
    [[MANIFEST, '{12345678-1234-1234-1234-123456789abc}'], { browser: 'firefox', id: '{12345678-1234-1234-1234-123456789abc}' }],
  ])('%j', (args, caller) => {
    expect(callerOf(args)).toEqual(caller);
  });
  it.each([
    [[]],
    [['chrome-extension://abc/']],
    [[`chrome-extension://${ADO_COMPANION_CHROME_ID}`]],
    [[`moz-extension://${ADO_COMPANION_CHROME_ID}/`]],
    [[`chrome-extension://${ADO_COMPANION_CHROME_ID}/`, '--load-extension=/tmp/x']],
    [[MANIFEST]],
    [['relative.json', ADO_COMPANION_GECKO_ID]],
    [[MANIFEST, 'not an id']],
    [[MANIFEST, ADO_COMPANION_GECKO_ID, 'extra']],
  ])('refuses %j', (args) => {
    expect(callerOf(args)).toBeUndefined();
  });
});

describe('isAllowedCaller', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('allows the extension’s own ids without a record, and others only when the installer recorded them', () => {
    dir = mkdtempSync(join(tmpdir(), 'host-caller-'));
    expect(isAllowedCaller({ browser: 'chromium', id: ADO_COMPANION_CHROME_ID }, dir)).toBe(true);
    expect(isAllowedCaller({ browser: 'firefox', id: ADO_COMPANION_GECKO_ID }, dir)).toBe(true);
    expect(isAllowedCaller({ browser: 'chromium', id: OTHER }, dir)).toBe(false);
    writeFileSync(callersFile(dir), JSON.stringify({ '/p/chromium.json': [ADO_COMPANION_CHROME_ID, OTHER], [MANIFEST]: ['tester@example.org'] }));
    expect(isAllowedCaller({ browser: 'chromium', id: OTHER }, dir)).toBe(true);
    expect(isAllowedCaller({ browser: 'firefox', id: 'tester@example.org' }, dir)).toBe(true);
    expect(isAllowedCaller({ browser: 'firefox', id: 'evil@example.org' }, dir)).toBe(false);
    // A damaged record allows nothing beyond the own ids.
    writeFileSync(callersFile(dir), '{ nope');
    expect(isAllowedCaller({ browser: 'chromium', id: OTHER }, dir)).toBe(false);
    expect(isAllowedCaller({ browser: 'chromium', id: ADO_COMPANION_CHROME_ID }, dir)).toBe(true);
  });
});
