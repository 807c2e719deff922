/** `open`: a known clone in the file manager, in VS Code, or in a terminal. */
import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import type { OpenRequest } from '../shared/host-protocol';
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

/** The program that opens `path` as `target` on `platform`, or undefined when none is installed. */
export function openCommand(platform: NodeJS.Platform, target: OpenRequest['target'], path: string, lookup: Lookup, env: NodeJS.ProcessEnv): OpenCommand | undefined {
  switch (target) {
    case 'folder':
      if (platform === 'win32') return { command: 'explorer.exe', args: [path] };
      if (platform === 'darwin') return { command: 'open', args: [path] };
      return lookup('xdg-open') ? { command: 'xdg-open', args: [path] } : undefined;
    case 'editor': {
      const code = vsCode(platform, lookup, env);
      return code ? { command: code, args: [path] } : undefined;
    }
    case 'terminal':
      if (platform === 'darwin') return { command: 'open', args: ['-a', 'Terminal', path] };
      if (platform === 'win32') {
        // A detached console program gets its own window, opened in `cwd`.
        return lookup('wt') ? { command: 'wt.exe', args: ['-d', path] } : { command: 'cmd.exe', args: [], cwd: path };
      }
      for (const name of LINUX_TERMINALS) {
        const found = lookup(name);
        if (found) return { command: found, args: [], cwd: path };
      }
      return undefined;
  }
}

const NAMES = { folder: 'a file manager', editor: 'VS Code', terminal: 'a terminal program' } as const;

export async function openClone(request: OpenRequest, ctx: HostContext): Promise<{ opened: string; with: string }> {
  const path = await resolveKnownClone(request.path, ctx);
  const command = openCommand(ctx.platform, request.target, path, (name) => findProgram(name, ctx.env, ctx.platform), ctx.env);
  if (!command) throw new HostError('TOOL_MISSING', `${NAMES[request.target]} was not found on this computer`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command.command, command.args, { cwd: command.cwd, env: ctx.env, detached: true, stdio: 'ignore', shell: false });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
    child.once('error', (error) => reject(new HostError('TOOL_MISSING', `could not start ${command.command}: ${error.message}`)));
  });
  ctx.log.info(`opened ${path} with ${command.command}`);
  return { opened: path, with: basename(command.command) };
}
