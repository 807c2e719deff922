// Run before the end-to-end suite: finds a Chromium, or installs Debian's when it can (root on
// Debian), or stops with what to install. Test tools' own browser downloads do not work offline.
// With --firefox it does the same for Firefox (Debian's firefox-esr), which firefox.test.ts needs:
// a missing Firefox stops the run only in CI; elsewhere that test file says it is skipped.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './chromium';
import { findFirefox } from './firefox';

const canInstall = process.getuid?.() === 0 && existsSync('/etc/debian_version');
let updated = false;

function install(pkg: string): void {
  console.log(`Installing Debian's "${pkg}" with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!updated) execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  updated = true;
  execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env });
}

let found = findChromium();
if (!found && canInstall) {
  console.log('No Chromium found.');
  install('chromium');
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

if (process.argv.includes('--firefox')) {
  let firefox = findFirefox();
  if (!firefox && canInstall) {
    console.log('No Firefox found.');
    install('firefox-esr');
    firefox = findFirefox();
  }
  if (firefox) console.log(`Firefox: ${firefox}`);
  else {
    const help = '  Debian/Ubuntu: sudo apt-get install firefox-esr\n  Elsewhere: install Firefox and set FIREFOX_PATH=/path/to/firefox';
    if (process.env.CI) {
      console.error(`The Firefox end-to-end test needs Firefox and none was found.\n${help}`);
      process.exit(1);
    }
    console.warn(`No Firefox found: the Firefox end-to-end test will be skipped.\n${help}`);
  }
}
