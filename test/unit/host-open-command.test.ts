import { describe, expect, it } from 'vitest';
import { isRunnable, openCommand } from '../../src/host/open-clone';

/** A PATH lookup that finds exactly these programs. */
const only = (found: Record<string, string>) => (name: string) => found[name];

describe('openCommand for a file at a line', () => {
  const file = '/r/api/src/app.ts';

  it('gives each editor the line its own way', () => {
    const lookup = only({ code: '/usr/bin/code', webstorm: '/opt/bin/webstorm', 'xdg-open': '/usr/bin/xdg-open' });
    expect(openCommand('linux', 'editor', '/r/api', lookup, {}, { editor: 'vscode', file, line: 12 })).toEqual({ command: '/usr/bin/code', args: ['/r/api', '--goto', `${file}:12`] });
    expect(openCommand('linux', 'editor', '/r/api', lookup, {}, { editor: 'jetbrains', file, line: 12 })).toEqual({ command: '/opt/bin/webstorm', args: ['--line', '12', file] });
    expect(openCommand('linux', 'editor', '/r/api', lookup, {}, { editor: 'default', file, line: 12 })).toEqual({ command: 'xdg-open', args: [file] });
    expect(openCommand('linux', 'editor', '/r/api', lookup, {}, { editor: 'visualstudio', file, line: 12 })).toBeUndefined();
  });

  it('starts Visual Studio and JetBrains IDEs on Windows without a shell', () => {
    const lookup = only({ devenv: 'C:\\VS\\devenv.exe', idea: 'C:\\bin\\idea.cmd', rider64: 'C:\\Rider\\bin\\rider64.exe' });
    expect(openCommand('win32', 'editor', 'C:\\r\\api', lookup, {}, { editor: 'visualstudio', file: 'C:\\r\\api\\a.cs', line: 3 })).toEqual({
      command: 'C:\\VS\\devenv.exe',
      args: ['/Edit', 'C:\\r\\api\\a.cs', '/Command', 'Edit.GoTo 3'],
    });
    // idea.cmd would need cmd.exe, which reads its arguments as commands: the next IDE is used.
    expect(openCommand('win32', 'editor', 'C:\\r\\api', lookup, {}, { editor: 'jetbrains', file: 'C:\\r\\api\\a.cs' })?.command).toBe('C:\\Rider\\bin\\rider64.exe');
    expect(openCommand('win32', 'editor', 'C:\\r\\api', only({ idea: 'C:\\bin\\idea.cmd' }), {}, { editor: 'jetbrains' })).toBeUndefined();
  });
});

describe('files the system would run rather than open', () => {
  it('are programs, scripts and shortcuts by name on every system, and executables by mode outside Windows', () => {
    for (const name of ['a.exe', 'b.CMD', 'c.lnk', 'd.desktop', 'e.ps1', 'f.url', 'g.app', 'h.command']) expect(isRunnable(name, 'win32', 0o644), name).toBe(true);
    expect(isRunnable('/r/tool.sh', 'linux', 0o755)).toBe(true);
    expect(isRunnable('/r/readme.md', 'linux', 0o644)).toBe(false);
    expect(isRunnable('C:\\r\\readme.md', 'win32', 0o755)).toBe(false);
  });

  it('on Windows are everything but text and source files (interpreters, ClickOnce, installers, help files run)', () => {
    // .rb, .php and .jsx are source, but RubyInstaller, PHP and Adobe's ExtendScript make them run.
    for (const name of ['setup.py', 'tool.pyw', 'app.application', 'x.jnlp', 'help.chm', 'pkg.msix', 'a.appinstaller', 'c.rdp', 'noext', 'task.rb', 'index.php', 'export.jsx', 'Gemfile.RB']) {
      expect(isRunnable(`C:\\r\\${name}`, 'win32', 0o644), name).toBe(true);
    }
    for (const name of ['readme.md', 'src.ts', 'App.cs', 'config.yml', 'index.html']) expect(isRunnable(`C:\\r\\${name}`, 'win32', 0o644), name).toBe(false);
  });

  it('a folder named like a macOS bundle is shown in Finder, never launched', () => {
    expect(openCommand('darwin', 'folder', '/r/Tools.app', () => undefined, {})).toEqual({ command: 'open', args: ['-R', '/r/Tools.app'] });
    expect(openCommand('darwin', 'editor', '/r/x.workflow', () => undefined, {}, { editor: 'default' })).toEqual({ command: 'open', args: ['-R', '/r/x.workflow'] });
    expect(openCommand('darwin', 'folder', '/r/api', () => undefined, {})).toEqual({ command: 'open', args: ['/r/api'] });
  });

  it('opens with the text editor on macOS', () => {
    expect(openCommand('darwin', 'editor', '/r', () => undefined, {}, { editor: 'default', file: '/r/a.command' })).toEqual({ command: 'open', args: ['-t', '/r/a.command'] });
  });
});

describe('Windows programs the companion starts to open a clone', () => {
  const env = { SystemRoot: 'C:\\Windows' };
  const targets = [
    ['folder', undefined],
    ['editor', { editor: 'default' as const }],
    ['editor', { editor: 'default' as const, file: 'C:\\r\\api\\readme.md' }],
    ['terminal', undefined],
  ] as const;

  it('are started by their full path, never by a name Windows would look up in the clone or the working folder first', () => {
    for (const lookup of [only({}), only({ wt: 'C:\\Users\\u\\AppData\\Local\\Microsoft\\WindowsApps\\wt.exe' }), only({ wt: 'C:\\bin\\wt.cmd' })]) {
      for (const [target, editor] of targets) {
        const command = openCommand('win32', target, 'C:\\r\\api', lookup, env, editor);
        expect(command?.command, `${target} ${JSON.stringify(editor)}`).toMatch(/^C:\\/);
      }
    }
    expect(openCommand('win32', 'folder', 'C:\\r\\api', only({}), env)?.command).toBe('C:\\Windows\\explorer.exe');
    expect(openCommand('win32', 'terminal', 'C:\\r\\api', only({}), env)).toEqual({ command: 'C:\\Windows\\System32\\cmd.exe', args: [], cwd: 'C:\\r\\api' });
    // wt.cmd would need cmd.exe to start it: the terminal is cmd.exe itself then.
    expect(openCommand('win32', 'terminal', 'C:\\r\\api', only({ wt: 'C:\\bin\\wt.cmd' }), env)?.command).toBe('C:\\Windows\\System32\\cmd.exe');
  });
});
