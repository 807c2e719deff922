/**
 * The computer's system, as `runtime.getPlatformInfo()` names it, for a content script (which has
 * no such call): from the browser's own platform hints. Architecture is told apart only where the
 * browser says it (Chromium's client hints); elsewhere it is taken to be x86-64.
 */
export async function platformInfo(): Promise<{ os: string; arch: string }> {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string; getHighEntropyValues?(hints: string[]): Promise<{ architecture?: string; bitness?: string }> } };
  const said = `${nav.userAgentData?.platform ?? ''} ${navigator.platform} ${navigator.userAgent}`;
  const os = /Win/i.test(said) ? 'win' : /Mac/i.test(said) ? 'mac' : /CrOS/i.test(said) ? 'cros' : 'linux';
  const hints = await nav.userAgentData?.getHighEntropyValues?.(['architecture', 'bitness']).catch(() => undefined);
  const arch = hints?.architecture === 'arm' ? (hints.bitness === '32' ? 'arm' : 'arm64') : 'x86-64';
  return { os, arch };
}
