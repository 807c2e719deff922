/** The installer's command line: `install`, `uninstall`, `doctor` (and `help`, `version`). */
import { parseArgs } from 'node:util';
import { HOST_NAME } from '../shared/host-protocol';
import { resolve } from 'node:path';
import { BROWSERS, isFirefox, type Browser } from './installer/browser-locations';
import { doctor, formatChecks } from './installer/doctor';
import { chooseBrowsers, install, sandboxedBrowsersNote, uninstall, type Machine } from './installer/install';
import { COMPANION_VERSION } from './version';

export const USAGE = `Azure DevOps Companion host ${COMPANION_VERSION} (${HOST_NAME})

Browsers start this program for native messaging. By hand (ado-companion is the downloaded
executable, \`npx ado-companion\`, or \`node ado-companion-host.mjs\` in a checkout):
  ado-companion install   [--browser B]... [--extension-id ID]... [--user-data-dir DIR]
  ado-companion uninstall [--browser B]... [--user-data-dir DIR]
  ado-companion doctor    [--browser B]... [--user-data-dir DIR] [--json]

install copies this program into the companion's own folder and registers that copy, so the
file you ran may be deleted afterwards.

  --browser B         ${BROWSERS.join(', ')} (repeatable; default: every browser found for this user)
  --extension-id ID   also allow this extension (Chrome id or Firefox add-on id; repeatable)
  --user-data-dir DIR a custom Chromium-family profile folder (with one --browser)
`;

export async function runCli(argv: readonly string[], machine: Machine, print: (text: string) => void): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === 'version' || verb === '--version') {
    print(COMPANION_VERSION);
    return 0;
  }
  if (verb !== 'install' && verb !== 'uninstall' && verb !== 'doctor') {
    print(USAGE);
    return verb === undefined || verb === 'help' || verb === '--help' || verb === '-h' ? 0 : 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: {
        browser: { type: 'string', multiple: true },
        'extension-id': { type: 'string', multiple: true },
        'user-data-dir': { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    print(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const named = values.browser ?? [];
  const unknown = named.filter((b) => !(BROWSERS as readonly string[]).includes(b));
  if (unknown.length > 0) {
    print(`unknown browser ${unknown.join(', ')}; known: ${BROWSERS.join(', ')}`);
    return 2;
  }
  const browsers = named as Browser[];
  const userDataDir = values['user-data-dir'] === undefined ? undefined : resolve(values['user-data-dir']);
  // A custom profile folder exists only for Chromium-family browsers.
  const every = BROWSERS.filter((b) => userDataDir === undefined || !isFirefox(b));
  try {
    if (verb === 'install') {
      const result = await install({ browsers: chooseBrowsers(browsers, userDataDir, machine), userDataDir }, values['extension-id'] ?? [], machine);
      print(`Installed the companion host ${COMPANION_VERSION}: ${result.launcher} (runs ${result.program})`);
      for (const m of result.manifests) print(`  ${m.browser}: ${m.manifestPath}${m.registryKey ? ` (registry ${m.registryKey})` : ''}`);
      print(`Allowed extensions: ${[...result.ids.chrome, ...result.ids.gecko].join(', ')}`);
      // Browsers read the registration at each connection: the extension's pages find it without a restart.
      print("The extension's pages notice it by themselves within seconds; restart the browser only if one does not.");
      print('To check it: the same command with doctor instead of install.');
      const sandboxed = sandboxedBrowsersNote(machine);
      if (sandboxed) print(`Note: ${sandboxed}`);
      return 0;
    }
    if (verb === 'uninstall') {
      const everything = browsers.length === 0 && userDataDir === undefined;
      const selection = { browsers: browsers.length > 0 ? browsers : every, userDataDir };
      const result = await uninstall(selection, everything, machine);
      print(result.removed.length > 0 ? `Removed:\n${result.removed.map((r) => `  ${r}`).join('\n')}` : 'Nothing to remove.');
      return 0;
    }
    const checks = await doctor(browsers, userDataDir, machine);
    print(values.json ? JSON.stringify(checks, null, 2) : formatChecks(checks));
    return checks.some((c) => c.status === 'fail') ? 1 : 0;
  } catch (error) {
    print(`error: ${(error as Error).message}`);
    return 1;
  }
}
