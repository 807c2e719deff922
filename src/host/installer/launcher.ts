/**
 * The small program a browser starts: browsers need an executable and start it with a minimal
 * PATH, so the launcher names node and the host bundle by absolute path. It also carries
 * ADO_COMPANION_HOME when the installer ran with one, so the browser's host uses the same files.
 */

const shQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
/** cmd.exe expands %VAR% even inside quotes; Windows paths cannot contain `"`. */
const cmdQuote = (value: string) => `"${value.replace(/%/g, '%%')}"`;

export function posixLauncher(nodePath: string, bundlePath: string, companionHome?: string): string {
  return [
    '#!/bin/sh',
    '# Azure DevOps Companion: started by the browser for native messaging.',
    ...(companionHome ? [`ADO_COMPANION_HOME=${shQuote(companionHome)}`, 'export ADO_COMPANION_HOME'] : []),
    `exec ${shQuote(nodePath)} ${shQuote(bundlePath)} "$@"`,
    '',
  ].join('\n');
}

export function windowsLauncher(nodePath: string, bundlePath: string, companionHome?: string): string {
  return [
    '@echo off',
    'rem Azure DevOps Companion: started by the browser for native messaging.',
    ...(companionHome ? [`set "ADO_COMPANION_HOME=${companionHome.replace(/%/g, '%%')}"`] : []),
    `${cmdQuote(nodePath)} ${cmdQuote(bundlePath)} %*`,
    '',
  ].join('\r\n');
}

export const launcherName = (platform: NodeJS.Platform) => (platform === 'win32' ? 'ado-companion-host.cmd' : 'ado-companion-host.sh');
export const BUNDLE_NAME = 'ado-companion-host.mjs';
