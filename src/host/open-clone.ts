/** `open`: a known clone in the file manager, an editor (optionally one file at a line), or a terminal. */
import { spawn } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { basename, join, win32 } from 'node:path';
import type { Editor, OpenRequest } from '../shared/host-protocol';
import { isInside } from './destination';
import { findProgram, isExecutableFile } from './find-program';
import { HostError } from './host-error';
import type { HostContext } from './host-context';
import { resolveKnownClone } from './local-clones';

export interface OpenCommand {
  command: string;
  args: string[];
  /** Terminals open where they are started. */
  cwd?: string;
}

type Lookup = (name: string) => string | undefined;

const LINUX_TERMINALS = ['x-terminal-emulator', 'gnome-terminal', 'konsole', 'xfce4-terminal', 'kitty', 'alacritty', 'xterm'];

function vsCode(platform: NodeJS.Platform, lookup: Lookup, env: NodeJS.ProcessEnv): string | undefined {
  if (platform === 'win32') {
    // Code.exe itself: code.cmd would need a shell to start.
    const installs = [env.LOCALAPPDATA && join(env.LOCALAPPDATA, 'Programs', 'Microsoft VS Code', 'Code.exe'), env.ProgramFiles && join(env.ProgramFiles, 'Microsoft VS Code', 'Code.exe')];
    return installs.find((p): p is string => typeof p === 'string' && isExecutableFile(p, platform));
  }
  const onPath = lookup('code') ?? lookup('codium');
  if (onPath || platform !== 'darwin') return onPath;
  const app = '/Applications/Visual Studio Code.app/Contents/Resources/app/bin/code';
  return isExecutableFile(app, platform) ? app : undefined;
}

/** JetBrains IDEs' command-line launchers (Toolbox and the installers name them so). */
const JETBRAINS = ['idea', 'webstorm', 'pycharm', 'rider', 'goland', 'clion', 'phpstorm', 'rubymine', 'rustrover', 'idea64', 'pycharm64', 'webstorm64', 'rider64'];

function jetBrains(platform: NodeJS.Platform, lookup: Lookup): string | undefined {
  for (const name of JETBRAINS) {
    const found = lookup(name);
    // A .cmd or .bat launcher needs a shell to start, and a shell would read the arguments.
    if (found && !(platform === 'win32' && /\.(cmd|bat)$/i.test(found))) return found;
  }
  return undefined;
}

function visualStudio(platform: NodeJS.Platform, lookup: Lookup, env: NodeJS.ProcessEnv): string | undefined {
  if (platform !== 'win32') return undefined;
  const onPath = lookup('devenv');
  if (onPath && /\.exe$/i.test(onPath)) return onPath;
  const installs = [env.ProgramFiles, env['ProgramFiles(x86)']].flatMap((base) =>
    base ? ['Enterprise', 'Professional', 'Community'].map((edition) => join(base, 'Microsoft Visual Studio', '2022', edition, 'Common7', 'IDE', 'devenv.exe')) : [],
  );
  return installs.find((p) => isExecutableFile(p, platform));
}

/**
 * Windows' own programs by their full path: started by name, Windows would look for them in the
 * host's working folder first, and a terminal is started in the clone, which may carry a cmd.exe.
 */
const windowsProgram = (env: NodeJS.ProcessEnv, ...path: string[]) => win32.join(env.SystemRoot ?? env.windir ?? 'C:\\Windows', ...path);

/** The file manager, or the program the system opens a file with. */
function systemOpen(platform: NodeJS.Platform, path: string, lookup: Lookup, env: NodeJS.ProcessEnv): OpenCommand | undefined {
  if (platform === 'win32') return { command: windowsProgram(env, 'explorer.exe'), args: [path] };
  // A folder named like a bundle (`Tools.app`, `x.workflow`) is launched by `open`, not shown:
  // a repository can be named so and carry the program. Finder shows such a folder selected instead.
  if (platform === 'darwin') return { command: 'open', args: /\.[^./]+$/.test(basename(path)) ? ['-R', path] : [path] };
  return lookup('xdg-open') ? { command: 'xdg-open', args: [path] } : undefined;
}

/** What to open in an editor: the clone, or a file of it (absolute, checked) at a line. */
export interface EditorTarget {
  editor: Editor;
  file?: string;
  line?: number;
}

function editorCommand(platform: NodeJS.Platform, path: string, target: EditorTarget, lookup: Lookup, env: NodeJS.ProcessEnv): OpenCommand | undefined {
  const { file, line } = target;
  switch (target.editor) {
    case 'vscode': {
      const code = vsCode(platform, lookup, env);
      if (!code) return undefined;
      if (file === undefined) return { command: code, args: [path] };
      // The folder as the window's workspace, the file in it; --goto reads `:line` off the end.
      return { command: code, args: line === undefined ? [path, file] : [path, '--goto', `${file}:${line}`] };
    }
    case 'jetbrains': {
      const ide = jetBrains(platform, lookup);
      if (!ide) return undefined;
      if (file === undefined) return { command: ide, args: [path] };
      return { command: ide, args: line === undefined ? [file] : ['--line', String(line), file] };
    }
    case 'visualstudio': {
      const devenv = visualStudio(platform, lookup, env);
      if (!devenv) return undefined;
      if (file === undefined) return { command: devenv, args: [path] };
      return { command: devenv, args: line === undefined ? ['/Edit', file] : ['/Edit', file, '/Command', `Edit.GoTo ${line}`] };
    }
    case 'default':
      // `open -t`: the default text editor, whatever the file's type says.
      if (platform === 'darwin' && file !== undefined) return { command: 'open', args: ['-t', file] };
      return systemOpen(platform, file ?? path, lookup, env);
  }
}

/** What Windows, a desktop or a file manager runs instead of opening: never handed to them. */
const RUNNABLE = /\.(exe|com|bat|cmd|ps1|psm1|vbs|vbe|js|jse|wsf|wsh|msc|msi|msp|scr|pif|cpl|hta|lnk|url|reg|inf|appref-ms|jar|desktop|app|command|tool|terminal|workflow|scpt)$/i;

/**
 * What Windows opens with its associated program, safely: text and source files. Windows runs too
 * many kinds (scripts of installed interpreters, ClickOnce, installers, help files) for a list of
 * those to be complete, so there only these are handed to explorer.exe. Not source types an
 * installer commonly makes runnable: .rb (RubyInstaller), .php (PHP's), .jsx (Adobe's ExtendScript).
 */
const WINDOWS_TEXT = /\.(txt|md|markdown|rst|adoc|json|jsonc|ya?ml|toml|ini|cfg|conf|xml|csv|tsv|log|ts|tsx|mts|cts|css|scss|less|html?|c|h|cc|cpp|hpp|cs|fs|vb|java|kt|go|rs|swift|sql|gradle|properties|tf|bicep|dockerfile|gitignore|gitattributes|editorconfig)$/i;

/** Whether the system's "open" could run `file` rather than show it. */
export function isRunnable(file: string, platform: NodeJS.Platform, mode: number): boolean {
  if (RUNNABLE.test(file)) return true;
  if (platform === 'win32') return !WINDOWS_TEXT.test(file);
  return (mode & 0o111) !== 0;
}

/** The program that opens `path` as `target` on `platform`, or undefined when none is installed. */
export function openCommand(
  platform: NodeJS.Platform,
  target: OpenRequest['target'],
  path: string,
  lookup: Lookup,
  env: NodeJS.ProcessEnv,
  editor: EditorTarget = { editor: 'vscode' },
): OpenCommand | undefined {
  switch (target) {
    case 'folder':
      return systemOpen(platform, path, lookup, env);
    case 'editor':
      return editorCommand(platform, path, editor, lookup, env);
    case 'terminal':
      if (platform === 'darwin') return { command: 'open', args: ['-a', 'Terminal', path] };
      if (platform === 'win32') {
        // A detached console program gets its own window, opened in `cwd`.
        const wt = lookup('wt');
        return wt && /\.exe$/i.test(wt) ? { command: wt, args: ['-d', path] } : { command: windowsProgram(env, 'System32', 'cmd.exe'), args: [], cwd: path };
      }
      for (const name of LINUX_TERMINALS) {
        const found = lookup(name);
        if (found) return { command: found, args: [], cwd: path };
      }
      return undefined;
  }
}

// oxlint-disable-next-line no-control-regex -- control characters are exactly what is refused
const BAD_FILE_CHARS = /[\u0000-\u001f\\:*?"<>|]/;

/**
 * The real path of `file` (as Azure DevOps writes it, `/src/a.ts`) inside the work tree `top`: no
 * `..`, nothing a path on another system would read differently, no link that leads out. A file
 * that is not there (another branch is checked out, say) is NOT_FOUND with `details.file`.
 */
export function fileInClone(top: string, file: string): string {
  const segments = file.replace(/^\/+/, '').split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || BAD_FILE_CHARS.test(s))) {
    throw new HostError('BAD_REQUEST', `"${file}" is not a file path inside the repository`);
  }
  let real: string;
  try {
    real = realpathSync(join(top, ...segments));
  } catch {
    throw new HostError('NOT_FOUND', `${file} is not in the local clone (it may be on another branch)`, { file });
  }
  if (!isInside(top, real) || real === top) throw new HostError('NOT_FOUND', `${file} leads outside the clone`, { file });
  if (!statSync(real).isFile()) throw new HostError('NOT_FOUND', `${file} is not a file`, { file });
  return real;
}

const FOLDER_TOOLS = { folder: 'a file manager', terminal: 'a terminal program' } as const;
const EDITOR_NAMES: Record<Editor, string> = {
  vscode: 'VS Code',
  visualstudio: 'Visual Studio (Windows only)',
  jetbrains: 'a JetBrains IDE launcher (idea, webstorm, pycharm, rider, … on PATH)',
  default: 'a program to open files with',
};

export async function openClone(request: OpenRequest, ctx: HostContext): Promise<{ opened: string; with: string }> {
  if (request.target !== 'editor' && (request.file !== undefined || request.editor !== undefined)) {
    throw new HostError('BAD_REQUEST', 'file and editor go with target "editor" only');
  }
  if (request.line !== undefined && request.file === undefined) throw new HostError('BAD_REQUEST', 'line goes with file only');
  const path = await resolveKnownClone(request.path, ctx);
  const editor: EditorTarget = { editor: request.editor ?? 'vscode', line: request.line };
  if (request.file !== undefined) editor.file = fileInClone(path, request.file);
  // A repository can hold programs: the system's own "open" would run them, not show them.
  if (editor.editor === 'default' && editor.file !== undefined && ctx.platform !== 'darwin' && isRunnable(editor.file, ctx.platform, statSync(editor.file).mode)) {
    throw new HostError('BAD_REQUEST', `${request.file} is a program or shortcut the system would run rather than open; choose an editor in Options to open it`, { file: request.file });
  }
  const command = openCommand(ctx.platform, request.target, path, (name) => findProgram(name, ctx.env, ctx.platform), ctx.env, editor);
  if (!command) {
    throw new HostError('TOOL_MISSING', `${request.target === 'editor' ? EDITOR_NAMES[editor.editor] : FOLDER_TOOLS[request.target]} was not found on this computer`);
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command.command, command.args, { cwd: command.cwd, env: ctx.env, detached: true, stdio: 'ignore', shell: false });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
    child.once('error', (error) => reject(new HostError('TOOL_MISSING', `could not start ${command.command}: ${error.message}`)));
  });
  const opened = editor.file ?? path;
  ctx.log.info(`opened ${opened} with ${command.command}`);
  return { opened, with: basename(command.command) };
}
