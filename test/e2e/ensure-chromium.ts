// Run before the end-to-end suite: finds a Chromium, or installs Debian's when it can (root on
// Debian), or stops with what to install. Test tools' own browser downloads do not work offline.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './chromium';

function install(): void {
  console.log('No Chromium found: installing Debian\'s "chromium" with apt-get…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
}

let found = findChromium();
if (!found && process.getuid?.() === 0 && existsSync('/etc/debian_version')) {
  install();
  found = findChromium();
}
if (!found) {
  console.error(
    'The end-to-end tests need Chromium and none was found.\n' +
      '  Debian/Ubuntu: sudo apt-get install chromium\n' +
      '  Elsewhere: install Chromium or Chrome and set CHROME_PATH=/path/to/chrome',
  );
  process.exit(1);
}
console.log(`Chromium: ${found}`);
