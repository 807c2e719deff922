/**
 * The small program a browser starts: browsers need an executable and start it with a minimal
 * PATH, so the launcher names what it runs by absolute path: the companion's single executable,
 * or node and the host bundle. It also carries ADO_COMPANION_HOME when the installer ran with
 * one, so the browser's host uses the same files.
 */

const shQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
/** cmd.exe expands %VAR% even inside quotes; Windows paths cannot contain `"`. */
const cmdQuote = (value: string) => `"${value.replace(/%/g, '%%')}"`;

/** The command a launcher runs: `[executable]` or `[node, bundle]`, absolute paths. */
export type LaunchCommand = readonly string[];

export function posixLauncher(command: LaunchCommand, companionHome?: string): string {
  return [
    '#!/bin/sh',
    '# Azure DevOps Companion: started by the browser for native messaging.',
    ...(companionHome ? [`ADO_COMPANION_HOME=${shQuote(companionHome)}`, 'export ADO_COMPANION_HOME'] : []),
    `exec ${command.map(shQuote).join(' ')} "$@"`,
    '',
  ].join('\n');
}

export function windowsLauncher(command: LaunchCommand, companionHome?: string): string {
  return [
    '@echo off',
    'rem Azure DevOps Companion: started by the browser for native messaging.',
    ...(companionHome ? [`set "ADO_COMPANION_HOME=${companionHome.replace(/%/g, '%%')}"`] : []),
    `${command.map(cmdQuote).join(' ')} %*`,
    '',
  ].join('\r\n');
}

export const launcherName = (platform: NodeJS.Platform) => (platform === 'win32' ? 'ado-companion-host.cmd' : 'ado-companion-host.sh');
export const BUNDLE_NAME = 'ado-companion-host.mjs';
/** The installed copy of a single executable companion. */
export const executableName = (platform: NodeJS.Platform) => (platform === 'win32' ? 'ado-companion.exe' : 'ado-companion');
