import { existsSync } from 'node:fs';

/** Where a Chromium may be: CHROME_PATH wins, then the usual Linux and macOS places. */
export const chromiumCandidates = (env = process.env): string[] =>
  [
    env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/microsoft-edge',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ].filter((p): p is string => !!p);

export function findChromium(env = process.env): string | undefined {
  return chromiumCandidates(env).find((p) => existsSync(p));
}
