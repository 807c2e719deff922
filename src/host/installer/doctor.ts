/** `doctor`: checks everything the companion needs and says what to fix, one line each. */
import { existsSync, readFileSync } from 'node:fs';
import { ADO_COMPANION_CHROME_ID, ADO_COMPANION_GECKO_ID } from '../../shared/extension-ids';
import { HOST_NAME } from '../../shared/host-protocol';
import { isAllowedCaller } from '../caller';
import { configFile, logFile } from '../companion-dirs';
import { loadConfig } from '../config';
import { findProgram, isExecutableFile } from '../find-program';
import { gitVersion } from '../git-repo';
import { GIT_DOWNLOAD_URL, MIN_GIT_VERSION, versionAtLeast } from '../../shared/git-help';
import { BROWSERS, isFirefox, manifestLocation, type Browser, type ManifestLocation } from './browser-locations';
import type { HostManifest } from './host-manifest';
import { programCommand, type Machine } from './install';
import { probeHost } from './probe-host';
import { parseRegDefault, reg, regQueryArgs } from './windows-registry';

export interface Check {
  status: 'ok' | 'warn' | 'fail';
  title: string;
  fix?: string;
}

const MIN_NODE = [20, 19];

export async function doctor(named: readonly Browser[], userDataDir: string | undefined, machine: Machine, probe = true): Promise<Check[]> {
  const checks: Check[] = [];
  const node = process.versions.node;
  const { program } = machine;
  const self = programCommand(program);
  // A single executable carries its own Node: nothing to install, nothing on PATH to check.
  checks.push(
    program.kind === 'executable'
      ? { status: 'ok', title: `Node ${node} built into ${program.path}` }
      : versionAtLeast(node, MIN_NODE)
        ? { status: 'ok', title: `Node ${node} (${program.node})` }
        : { status: 'fail', title: `Node ${node} is too old`, fix: `install Node ${MIN_NODE.join('.')} or newer, then run install again` },
  );
  const git = await gitVersion(machine.env);
  if (git === null) checks.push({ status: 'fail', title: 'git was not found', fix: 'install Git (https://git-scm.com/downloads) and make sure it is on PATH' });
  else if (!versionAtLeast(git, MIN_GIT_VERSION)) checks.push({ status: 'fail', title: `git ${git} is too old`, fix: `update Git to ${MIN_GIT_VERSION.join('.')} or newer (${GIT_DOWNLOAD_URL})` });
  else checks.push({ status: 'ok', title: `git ${git}` });
  for (const tool of ['ssh-keygen', 'ssh']) {
    const found = findProgram(tool, machine.env, machine.platform);
    checks.push(found ? { status: 'ok', title: `${tool} (${found})` } : { status: 'warn', title: `${tool} was not found`, fix: 'install OpenSSH to use SSH keys (HTTPS clones work without it)' });
  }
  try {
    const config = loadConfig(configFile(machine.dirs), machine.home);
    checks.push({ status: 'ok', title: `clone folders: ${config.cloneRoots.join(', ')}; extra hosts: ${config.allowedHosts.join(', ') || 'none'}` });
  } catch (error) {
    checks.push({ status: 'fail', title: (error as Error).message, fix: `delete ${configFile(machine.dirs)} and set the clone folders again in the extension` });
  }
  const browsers = named.length > 0 ? named : BROWSERS.filter((b) => userDataDir === undefined || !isFirefox(b));
  let registered = 0;
  for (const browser of browsers) {
    const location = manifestLocation({ platform: machine.platform, browser, home: machine.home, env: machine.env, installDir: machine.dirs.install, userDataDir });
    const found = existsSync(location.manifestPath);
    if (!found && named.length === 0) continue;
    registered += found ? 1 : 0;
    checks.push(...(await checkBrowser(location, machine, probe, self)));
  }
  if (named.length === 0 && registered === 0) {
    checks.push({ status: 'fail', title: 'the companion is not registered with any browser', fix: `run: ${self} install` });
  }
  checks.push({ status: 'ok', title: `log file: ${logFile(machine.dirs)}` });
  return checks;
}

async function checkBrowser(location: ManifestLocation, machine: Machine, probe: boolean, self: string): Promise<Check[]> {
  const { browser, manifestPath } = location;
  const reinstall = `run: ${self} install --browser ${browser}`;
  if (!existsSync(manifestPath)) return [{ status: 'fail', title: `${browser}: no manifest at ${manifestPath}`, fix: reinstall }];
  let manifest: Partial<HostManifest>;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Partial<HostManifest>;
  } catch {
    return [{ status: 'fail', title: `${browser}: ${manifestPath} is not valid JSON`, fix: reinstall }];
  }
  const checks: Check[] = [];
  if (manifest.name !== HOST_NAME || manifest.type !== 'stdio') checks.push({ status: 'fail', title: `${browser}: ${manifestPath} does not describe ${HOST_NAME}`, fix: reinstall });
  if (location.registryKey) {
    const query = await reg(regQueryArgs(location.registryKey));
    const value = query.ok ? parseRegDefault(query.output) : undefined;
    if (value?.toLowerCase() !== manifestPath.toLowerCase()) checks.push({ status: 'fail', title: `${browser}: registry key ${location.registryKey} does not point at ${manifestPath}`, fix: reinstall });
  }
  const path = manifest.path ?? '';
  if (!isExecutableFile(path, machine.platform)) {
    checks.push({ status: 'fail', title: `${browser}: the launcher ${path || '(none)'} is missing or not executable`, fix: reinstall });
  } else if (probe && machine.platform !== 'win32') {
    // Started as the browser starts it, for an extension the manifest allows.
    const caller = isFirefox(browser)
      ? [manifestPath, manifest.allowed_extensions?.[0] ?? ADO_COMPANION_GECKO_ID]
      : [`chrome-extension://${manifest.allowed_origins?.[0]?.replace(/^chrome-extension:\/\/|\/$/g, '') ?? ADO_COMPANION_CHROME_ID}/`];
    const answer = await probeHost(path, caller, machine.env);
    checks.push(answer.ok ? { status: 'ok', title: `${browser}: the host starts and answers (version ${answer.version})` } : { status: 'fail', title: `${browser}: the host did not answer: ${answer.reason}`, fix: reinstall });
  }
  const ids = isFirefox(browser) ? (manifest.allowed_extensions ?? []) : (manifest.allowed_origins ?? []).map((o) => o.replace(/^chrome-extension:\/\/|\/$/g, ''));
  const builtIn = isFirefox(browser) ? ADO_COMPANION_GECKO_ID : ADO_COMPANION_CHROME_ID;
  checks.push(
    ids.includes(builtIn)
      ? { status: 'ok', title: `${browser}: ${manifestPath} allows ${ids.join(', ')}` }
      : { status: 'warn', title: `${browser}: the extension's id ${builtIn} is not allowed (allowed: ${ids.join(', ') || 'none'})`, fix: reinstall },
  );
  // The host checks its caller against what install recorded, not against the manifest.
  const refused = ids.filter((id) => !isAllowedCaller({ browser: isFirefox(browser) ? 'firefox' : 'chromium', id }, machine.dirs.install));
  if (refused.length > 0) {
    checks.push({
      status: 'warn',
      title: `${browser}: the companion refuses ${refused.join(', ')}, which ${manifestPath} allows (its install did not record ${refused.length > 1 ? 'them' : 'it'})`,
      fix: `${reinstall} ${refused.map((id) => `--extension-id ${id}`).join(' ')}`,
    });
  }
  return checks;
}

export function formatChecks(checks: readonly Check[]): string {
  const mark = { ok: '[ok]  ', warn: '[warn]', fail: '[FAIL]' } as const;
  return checks.map((c) => `${mark[c.status]} ${c.title}${c.fix ? `\n       fix: ${c.fix}` : ''}`).join('\n');
}
