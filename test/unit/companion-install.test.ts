import { describe, expect, it } from 'vitest';
import { NPM_PACKAGE, TARGETS } from '../../scripts/build-companion.mjs';
import { programCommand, NPM_PACKAGE as HOST_NPM_PACKAGE } from '../../src/host/installer/install';
import { COMPANION_DOWNLOADS, COMPANION_NPM_PACKAGE, installInstructions } from '../../src/shared/companion-install';
import { ADO_COMPANION_CHROME_ID, ADO_COMPANION_GECKO_ID } from '../../src/shared/extension-ids';

describe('installInstructions', () => {
  it('Linux x64: download, make executable, run install, from the Downloads folder', () => {
    expect(installInstructions('linux', 'x86-64')).toEqual({
      download: 'ado-companion-linux-x64',
      commands: ['cd ~/Downloads', 'chmod +x ado-companion-linux-x64', './ado-companion-linux-x64 install'],
      explanation: expect.stringMatching(/^The downloaded program copies itself .*\.$/),
      npx: ['npx ado-companion install'],
    });
  });
  it('macOS by processor; Firefox’s aarch64 and Node’s x64 are understood', () => {
    expect(installInstructions('mac', 'arm64').download).toBe('ado-companion-macos-arm64');
    expect(installInstructions('mac', 'aarch64').commands).toEqual(['cd ~/Downloads', 'chmod +x ado-companion-macos-arm64', './ado-companion-macos-arm64 install']);
    expect(installInstructions('mac', 'x64').download).toBe('ado-companion-macos-x64');
  });
  it('Windows: the x64 executable (Windows on Arm runs it too), lines that work in cmd and PowerShell', () => {
    for (const arch of ['x86-64', 'arm64']) {
      expect(installInstructions('win', arch)).toMatchObject({ download: 'ado-companion-win-x64.exe', commands: ['cd Downloads', '.\\ado-companion-win-x64.exe install'] });
    }
  });
  it('no executable for the system: npx, and says Node is needed', () => {
    const linuxArm = installInstructions('linux', 'arm64');
    expect(linuxArm).toMatchObject({ download: null, commands: ['npx ado-companion install'] });
    expect(linuxArm.explanation).toContain('Node 20.19');
    expect(installInstructions('linux', 'x86-32').download).toBeNull();
  });
  it('a store build (its own id) has install allow that id; the development build and Firefox’s own id need nothing', () => {
    const store = 'abcdefghijklmnopabcdefghijklmnop';
    expect(installInstructions('linux', 'x86-64', store)).toMatchObject({
      commands: ['cd ~/Downloads', 'chmod +x ado-companion-linux-x64', `./ado-companion-linux-x64 install --extension-id ${store}`],
      npx: [`npx ado-companion install --extension-id ${store}`],
    });
    expect(installInstructions('win', 'x86-64', store).commands).toEqual(['cd Downloads', `.\\ado-companion-win-x64.exe install --extension-id ${store}`]);
    expect(installInstructions('linux', 'arm64', store).commands).toEqual([`npx ado-companion install --extension-id ${store}`]);
    expect(installInstructions('linux', 'x86-64', ADO_COMPANION_CHROME_ID).commands.at(-1)).toBe('./ado-companion-linux-x64 install');
    expect(installInstructions('linux', 'x86-64', ADO_COMPANION_GECKO_ID).commands.at(-1)).toBe('./ado-companion-linux-x64 install');
    // Nothing the installer would reject ends up in a command to paste.
    expect(installInstructions('linux', 'x86-64', 'x; rm -rf ~').commands.at(-1)).toBe('./ado-companion-linux-x64 install');
  });
});

describe('the names agree across the build, the host and the pages', () => {
  it('release file names and the npm package', () => {
    expect(Object.values(TARGETS).map((t) => t.file).toSorted()).toEqual(Object.values(COMPANION_DOWNLOADS).toSorted());
    expect(NPM_PACKAGE).toBe(COMPANION_NPM_PACKAGE);
    expect(HOST_NPM_PACKAGE).toBe(COMPANION_NPM_PACKAGE);
  });
});

describe('programCommand: how doctor tells the user to run the companion again', () => {
  it('the executable by path, a package through npx, a checkout through node', () => {
    expect(programCommand({ kind: 'executable', path: '/home/a/Downloads/ado-companion-linux-x64' })).toBe('/home/a/Downloads/ado-companion-linux-x64');
    expect(programCommand({ kind: 'executable', path: 'C:\\Users\\A B\\ado-companion.exe' })).toBe('"C:\\Users\\A B\\ado-companion.exe"');
    expect(programCommand({ kind: 'bundle', node: '/usr/bin/node', path: '/home/a/.npm/_npx/1/node_modules/ado-companion/ado-companion-host.mjs' })).toBe('npx ado-companion');
    expect(programCommand({ kind: 'bundle', node: '/usr/bin/node', path: '/src/adoc/dist/host/ado-companion-host.mjs' })).toBe('node /src/adoc/dist/host/ado-companion-host.mjs');
  });
});
