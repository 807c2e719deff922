/**
 * `sshKey`: find an RSA key Azure DevOps can use, generate one (`ssh-keygen -t rsa -b 4096`;
 * Azure DevOps refuses other key types) without ever replacing an existing file, and name it in
 * the companion's block of ~/.ssh/config.
 */
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CLOUD_SSH_HOSTS, type SshKeyData, type SshKeyInfo, type SshKeyRequest } from '../shared/host-protocol';
import { isProcessAlive } from './clone-journal';
import { isAllowedHost, normalizeHost } from './config';
import { isInside } from './destination';
import { HostError } from './host-error';
import type { HostContext } from './host-context';
import { runProgram } from './run-program';
import { identityFileProblem, readBlock, upsertBlock } from './ssh-config-block';
import { identityFilesFor, readRegularFile, tooLarge, type LocalSide } from './ssh-config-read';

export const DEFAULT_KEY_NAME = 'id_rsa_azure_devops';

const sshDir = (home: string) => join(home, '.ssh');
const sshConfigPath = (home: string) => join(sshDir(home), 'config');

// Said as the file it is, for the person to fix: not as an unexpected error of the companion's.
const couldNotRead = (path: string, error: Error) =>
  new HostError('INTERNAL', `${path} could not be read (${error.message}): ${tooLarge(error) ? 'is it the file you meant? Make it smaller' : 'make it a file you can read'}, then try again`);

/**
 * The block's key is the one the user made here, or chose: its `.pub` there but unreadable is a key
 * to mend, said with how, not one to pass over for another (whose Use it would replace it in the
 * block). Create makes a new one only where none is: not beside the companion's own name.
 */
function blockPubUnreadable(path: string, { message: why }: Error): HostError {
  const privateKey = path.slice(0, -'.pub'.length);
  const anew = basename(privateKey) === DEFAULT_KEY_NAME ? `move ${privateKey} and its .pub out of ~/.ssh, then create a new key` : 'create a new key';
  return new HostError(
    'KEY_UNREADABLE',
    `the public half of your SSH key, ${path}, cannot be read (${why}): put the public key back in its place (ssh-keygen -y -f ${privateKey} prints it), or ${anew}`,
    { path },
  );
}

/** A regular file's text (never a named pipe's, which would hold the companion); undefined when there is none. */
function readText(path: string, unreadable = couldNotRead): string | undefined {
  try {
    return readRegularFile(path);
  } catch (error) {
    throw unreadable(path, error as Error);
  }
}

const expandHome = (path: string, home: string) => (path === '~' || path.startsWith('~/') ? join(home, path.slice(2)) : path);

/**
 * The key as the config names it: its real path (no symlink is followed later by ssh, so it
 * cannot be re-pointed after the check), which must be inside ~/.ssh, as `~/.ssh/...` (portable
 * across OSes and profile moves). NOT_FOUND when there is no such file, or it is not inside
 * ~/.ssh: then the words say where to put it, as that is all the user can do about it.
 */
function resolveKey(keyPath: string, home: string): { real: string; forConfig: string } {
  const dir = sshDir(home);
  const real = realpathOrUndefined(keyPath);
  if (!real || !statSync(real).isFile()) throw new HostError('NOT_FOUND', `there is no key file at ${keyPath}`);
  const realDir = realpathOrUndefined(dir);
  if (!realDir || !isInside(realDir, real)) {
    const what = real === keyPath ? keyPath : `${keyPath} (a link to ${real})`;
    throw new HostError(
      'NOT_FOUND',
      `${what} is outside ${dir}, and the companion names only keys in that folder in ~/.ssh/config: move or copy the key and its .pub into ${dir}, then try again`,
    );
  }
  return { real, forConfig: `~/.ssh/${relative(realDir, real).split(sep).join('/')}` };
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

async function fingerprint(publicKeyPath: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  try {
    const result = await runProgram('ssh-keygen', ['-l', '-f', publicKeyPath], { env, timeoutMs: 10_000 });
    return result.code === 0 ? (result.stdout.split(/\s+/)[1] ?? null) : null;
  } catch {
    return null;
  }
}

/**
 * Whether the private key has a passphrase (ssh-keygen, given an empty one, says it is wrong: any
 * other failure says nothing of one), and then whether ssh-agent holds it (`ssh-add -L` lists its
 * public key; status 1 is an agent without keys, 2 no agent).
 */
async function keyLock(privateKeyPath: string, publicKey: string, env: NodeJS.ProcessEnv): Promise<Pick<SshKeyInfo, 'passphrase' | 'inAgent'>> {
  const run = (...args: string[]) => runProgram(args.shift()!, args, { env, timeoutMs: 10_000 }).catch(() => undefined);
  if (!/passphrase/i.test((await run('ssh-keygen', '-y', '-P', '', '-f', privateKeyPath))?.stderr ?? '')) return { passphrase: false };
  const agent = await run('ssh-add', '-L');
  return { passphrase: true, inAgent: agent?.code === 0 && agent.stdout.includes(publicKey.split(' ', 2).join(' ')) };
}

/** A key as the files show it; `find` adds what the config says of it. */
type KeyInfo = Omit<SshKeyInfo, 'userConfig' | 'configuredFor'>;

/**
 * Key info for a private key (a regular file) whose `.pub` holds an RSA public key; undefined
 * otherwise. A `.pub` that is there but cannot be read throws `unreadable`'s error. A key with a
 * passphrase says whether ssh-agent holds it: without, git (run with no terminal) cannot use it.
 */
async function describeKey(privateKeyPath: string, configured: boolean, env: NodeJS.ProcessEnv, unreadable = couldNotRead): Promise<KeyInfo | undefined> {
  const publicKeyPath = `${privateKeyPath}.pub`;
  const publicKey = readText(publicKeyPath, unreadable)?.trim();
  if (!publicKey || !publicKey.startsWith('ssh-rsa ') || !statOrUndefined(privateKeyPath)?.isFile()) return undefined;
  const [print, lock] = await Promise.all([fingerprint(publicKeyPath, env), keyLock(privateKeyPath, publicKey, env)]);
  return { privateKeyPath, publicKeyPath, publicKey, fingerprint: print, configured, ...lock };
}

/** ssh's refusal of every key it offered (ssh.dev.azure.com offers password too: "Permission denied (password,publickey)"). */
export const SSH_KEY_REFUSED = /permission denied \((?:[\w-]+,)*publickey/i;

/**
 * Why ssh refused every key (`said`: its words) for `host`, when the key `find` reports for it has a
 * passphrase that ssh-agent does not hold: ssh, run with no terminal, cannot ask for it, so adding
 * the key to Azure DevOps would not help. Undefined otherwise, or when that cannot be told.
 */
export async function lockedKeySays(said: string, host: string, ctx: HostContext): Promise<string | undefined> {
  const { key } = SSH_KEY_REFUSED.test(said) ? await findKey(ctx, [host]).catch(() => ({ key: null })) : { key: null };
  // The next step (ssh-add, or another key) is the extension's to say, with its buttons.
  if (key?.passphrase && !key.inAgent) return `Your SSH key ${key.privateKeyPath} has a passphrase and ssh-agent does not hold it, so ssh cannot use it`;
}

/** `error` as git's failure said it, or, for ssh's refusal of a key with a passphrase, that cause with git's line. */
export async function sshRefusalCause(error: HostError, host: string, ctx: HostContext): Promise<HostError> {
  const says = await lockedKeySays(error.message, host, ctx);
  return says ? new HostError(error.code, `${says}. ${/\(git: [\s\S]*\)$/.exec(error.message)?.[0] ?? ''}`.trim()) : error;
}

/** Whether `configure` can name the key in the block: its real file is in ~/.ssh, at a path ssh can be told. */
function configurable(keyPath: string, home: string): boolean {
  try {
    return identityFileProblem(resolveKey(keyPath, home).forConfig) === undefined;
  } catch {
    return false;
  }
}

/**
 * The first RSA key for Azure DevOps; `configured` when the companion's block names it for every
 * one of `hosts` (a block written for the cloud only does not serve a server the user clones from),
 * `configuredFor` the hosts it does name it for; `userConfig` when the user's own lines (outside the
 * block; included files too) give it to ssh, for which hosts: ssh uses it there already. With it,
 * `matchFiles`: where Match sections may give ssh a key that the companion cannot tell; and
 * `unreadFiles`: what it did not read (the log says why), where anything may be.
 */
export async function findKey(ctx: HostContext, hosts: readonly string[] = CLOUD_SSH_HOSTS): Promise<{ key: SshKeyInfo | null; matchFiles: string[]; unreadFiles: string[] }> {
  const { config, unread: unreadConfig } = readSshConfig(ctx.home);
  const asked = [...new Set([...CLOUD_SSH_HOSTS, ...hosts])];
  const { named, block, matchFiles, unread } = identityFilesFor(config, asked, localSide(ctx));
  const unreadFiles = [...unreadConfig, ...unread].map(({ file, why }) => {
    ctx.log.warn(`did not read all of ${file}, so cannot tell what ssh gets from it: ${why}`);
    return file;
  });
  const blockKey = block?.identityFile;
  const candidates = [...new Set([...(blockKey ? [blockKey] : []), ...named.map((n) => n.identityFile), join(sshDir(ctx.home), DEFAULT_KEY_NAME), join(sshDir(ctx.home), 'id_rsa')])];
  for (const candidate of candidates) {
    const configuredFor = block && candidate === blockKey ? block.hosts : [];
    const key = await candidateKey(candidate, candidate === blockKey, candidate === blockKey && hosts.every((h) => configuredFor.includes(h)), ctx);
    if (!key) continue;
    const own = [...new Set(named.flatMap((n) => (!n.inBlock && n.identityFile === candidate ? n.hosts : [])))];
    const found = { ...key, configuredFor };
    return { key: own.length > 0 ? { ...found, userConfig: { hosts: own, configurable: configurable(candidate, ctx.home) } } : found, matchFiles, unreadFiles };
  }
  return { key: null, matchFiles, unreadFiles };
}

/** ~/.ssh/config's text for find: one too large to read is none, said as unread (a key may still be found by its name). */
function readSshConfig(home: string): { config: string; unread: { file: string; why: string }[] } {
  const path = sshConfigPath(home);
  try {
    return { config: readRegularFile(path) ?? '', unread: [] };
  } catch (error) {
    if (tooLarge(error)) return { config: '', unread: [{ file: path, why: error.message }] };
    throw couldNotRead(path, error as Error);
  }
}

/**
 * A candidate as `find` sees it: one whose `.pub` cannot be read is skipped (the log says why), as
 * it is not a key the companion can show. Many files are candidates (every IdentityFile that
 * applies), and one of them unreadable must not stop the others being found. Not so the block's
 * key (`ofBlock`), when its private key is there: KEY_UNREADABLE, saying what to do.
 */
async function candidateKey(privateKeyPath: string, ofBlock: boolean, configured: boolean, ctx: HostContext): Promise<KeyInfo | undefined> {
  if (ofBlock) return statOrUndefined(privateKeyPath)?.isFile() ? describeKey(privateKeyPath, configured, ctx.env, blockPubUnreadable) : undefined;
  try {
    return await describeKey(privateKeyPath, configured, ctx.env);
  } catch (error) {
    if (!(error instanceof HostError)) throw error;
    ctx.log.warn(`skipped the key ${privateKeyPath}: ${error.message}`);
    return undefined;
  }
}

/** What ssh expands in a config's paths: this user and computer, and the environment git runs ssh with. */
function localSide(ctx: HostContext): LocalSide {
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    // No entry for this user in the system's user list: %u cannot be told.
  }
  return { home: ctx.home, user, hostname: hostname(), uid: process.getuid?.(), env: ctx.env };
}

/** The hosts asked for, as host names; to be written, each must be one the companion allows. */
function checkHosts(hosts: readonly string[] | undefined, ctx: HostContext, forWriting = true): string[] {
  if (hosts === undefined) return [...CLOUD_SSH_HOSTS];
  const config = ctx.config();
  return [
    ...new Set(
      hosts.map((h) => {
        const host = normalizeHost(h);
        if (forWriting && !isAllowedHost(host, config)) throw new HostError('HOST_NOT_ALLOWED', `${host} is not an Azure DevOps host the companion knows`, { host });
        return host;
      }),
    ),
  ];
}

/**
 * Writes the companion's block; a symlinked config is updated where it really lives. The new
 * file replaces the old one only after ssh has read it and found the block's key for each host,
 * so a file ssh cannot read is never left behind.
 */
async function writeSshConfig(ctx: HostContext, identityFile: string, asked: string[]): Promise<{ path: string; changed: boolean; hosts: string[] }> {
  const home = ctx.home;
  mkdirSync(sshDir(home), { recursive: true, mode: 0o700 });
  const path = sshConfigPath(home);
  const before = readText(path) ?? '';
  const hosts = [...new Set([...blockHostsKept(before, ctx), ...asked])];
  const { text, changed } = upsertBlock(before, { hosts, identityFile });
  if (changed) {
    const target = existsSync(path) ? realpathSync(path) : path;
    const mode = existsSync(target) ? statSync(target).mode & 0o777 : 0o600;
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    writeFileSync(temp, text, { mode });
    try {
      chmodSync(temp, mode);
      const problem = await sshRefuses(temp, hosts, identityFile, ctx);
      if (problem) {
        throw new HostError('SSH_CONFIG_CONFLICT', `ssh would not read ${path} with the companion's block, so it was left as it was: ${problem}`, { path });
      }
      renameSync(temp, target);
    } finally {
      try {
        unlinkSync(temp);
      } catch {
        // Renamed into place.
      }
    }
  }
  return { path, changed, hosts };
}

/**
 * The hosts the block names now that the companion still allows: a rewrite adds hosts, never drops
 * one. The hosts asked for are those of the user's profiles right now (only the servers, when all
 * of them are servers), not every host the user clones from with this key, such as the cloud pair.
 */
function blockHostsKept(configText: string, ctx: HostContext): string[] {
  const config = ctx.config();
  return (readBlock(configText)?.hosts ?? []).flatMap((name) => {
    try {
      const host = normalizeHost(name);
      return isAllowedHost(host, config) ? [host] : [];
    } catch {
      return [];
    }
  });
}

/** What is wrong when ssh (`ssh -G`) reads `configPath`: a parse error, or a host without the block's key. */
async function sshRefuses(configPath: string, hosts: readonly string[], identityFile: string, ctx: HostContext): Promise<string | undefined> {
  for (const host of hosts) {
    let result;
    try {
      result = await runProgram('ssh', ['-G', '-F', configPath, '--', host], { env: ctx.env, timeoutMs: 10_000 });
    } catch (error) {
      // Without ssh nothing reads the file yet; the block is still what ssh will need.
      if (error instanceof HostError && error.code === 'TOOL_MISSING') {
        ctx.log.warn('ssh was not found: the SSH configuration was written without checking it with ssh -G');
        return undefined;
      }
      throw error;
    }
    if (result.code !== 0) {
      const last = result.stderr.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('Pseudo-terminal')).slice(-2).join(' ');
      return `ssh -G ${host} failed (${last.replaceAll(configPath, 'the file') || `status ${result.code}`})`;
    }
    // ssh prints the value as written; accept it expanded too, as other ssh versions may print it.
    const named = new Set([identityFile, expandHome(identityFile, ctx.home)].map((path) => `identityfile ${path}`));
    if (!result.stdout.split(/\r?\n/).some((line) => named.has(line))) return `ssh -G ${host} does not name the key ${identityFile}`;
  }
  return undefined;
}

async function generate(request: Extract<SshKeyRequest, { action: 'generate' }>, ctx: HostContext): Promise<SshKeyData> {
  const hosts = checkHosts(request.hosts, ctx);
  const dir = sshDir(ctx.home);
  const keyPath = join(dir, DEFAULT_KEY_NAME);
  const refuseExisting = () => {
    throw new HostError('KEY_EXISTS', `a key already exists at ${keyPath}; it was left as it is (use it, or remove it yourself first)`, {
      path: keyPath,
    });
  };
  await mendKilledGenerates(ctx);
  if (lstatOrUndefined(keyPath) || lstatOrUndefined(`${keyPath}.pub`)) refuseExisting();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Generated in a folder of its own, then hard-linked into place: a link never replaces a file, so
  // even a key that appears meanwhile is safe. The folder names this companion: should it be killed,
  // the next one removes the folder, and an ssh-keygen still running then has nowhere to write.
  const temp = mkdtempSync(join(dir, `${KEYGEN_FOLDER}${process.pid}.`));
  const generated = join(temp, DEFAULT_KEY_NAME);
  const comment = request.comment ?? `azure-devops-companion@${hostname()}`;
  try {
    ctx.log.info(`generating an RSA 4096 key at ${keyPath}`);
    const result = await runProgram('ssh-keygen', ['-q', '-t', 'rsa', '-b', '4096', '-N', '', '-C', comment, '-f', generated], {
      env: ctx.env,
      timeoutMs: 120_000,
    });
    if (result.code !== 0) throw new HostError('INTERNAL', `ssh-keygen failed: ${result.stderr.trim().slice(0, 500)}`);
    try {
      linkSync(generated, keyPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') refuseExisting();
      throw error;
    }
    try {
      linkSync(`${generated}.pub`, `${keyPath}.pub`);
    } catch (error) {
      unlinkSync(keyPath);
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') refuseExisting();
      throw error;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  const sshConfig = await writeSshConfig(ctx, resolveKey(keyPath, ctx.home).forConfig, hosts);
  const key = await describeKey(keyPath, true, ctx.env);
  if (!key) throw new HostError('INTERNAL', `ssh-keygen did not produce an RSA key at ${keyPath}`);
  return { key, sshConfig, created: true };
}

async function configure(request: Extract<SshKeyRequest, { action: 'configure' }>, ctx: HostContext): Promise<SshKeyData> {
  const hosts = checkHosts(request.hosts, ctx);
  let requested = request.keyPath;
  if (requested === undefined) {
    const { key: found } = await findKey(ctx, hosts);
    if (!found) throw new HostError('NOT_FOUND', 'no RSA key for Azure DevOps was found; generate one');
    requested = found.privateKeyPath;
  }
  // Checked and named as the file it really is: a link in ~/.ssh is resolved once, here.
  const { real: keyPath, forConfig } = resolveKey(requested, ctx.home);
  if (!(await describeKey(keyPath, false, ctx.env))) {
    throw new HostError('BAD_REQUEST', `${requested} is not an RSA key with a .pub file beside it (Azure DevOps accepts RSA keys only)`);
  }
  const sshConfig = await writeSshConfig(ctx, forConfig, hosts);
  return { key: (await describeKey(keyPath, true, ctx.env)) ?? null, sshConfig };
}

/** `~/.ssh/.id_rsa_azure_devops.{pid}.{random}`: where one `generate` runs ssh-keygen. */
const KEYGEN_FOLDER = `.${DEFAULT_KEY_NAME}.`;

/**
 * Removes the folders of generates whose companion no longer runs (it was killed): an ssh-keygen
 * it started runs on in a process group of its own, and would leave a private key nothing uses.
 */
function sweepKeygenFolders(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(KEYGEN_FOLDER) ? /^(\d+)\.[^.]+$/.exec(name.slice(KEYGEN_FOLDER.length))?.[1] : undefined;
    if (pid === undefined || isProcessAlive(Number(pid))) continue;
    const path = join(dir, name);
    // Never through a link: only a folder a generate made.
    if (lstatOrUndefined(path)?.isDirectory()) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * What a killed generate left, mended before `find` and `generate` look: its folder goes (above),
 * and a companion killed between linking the private key and its `.pub` leaves the private key
 * alone, which `find` (it reads the `.pub`) cannot show and `generate` (it never replaces a file)
 * refuses. Its public half is derived from it (`ssh-keygen -y`: an RSA key without a passphrase, as
 * `generate` makes) and written beside it; nothing is replaced or removed, and a link is not
 * followed. Not while a generate runs: its folder is there (the sweep left only live ones), and its
 * pair half-placed for a moment.
 */
async function mendKilledGenerates(ctx: HostContext): Promise<void> {
  const dir = sshDir(ctx.home);
  sweepKeygenFolders(dir);
  const keyPath = join(dir, DEFAULT_KEY_NAME);
  if (!lstatOrUndefined(keyPath)?.isFile() || lstatOrUndefined(`${keyPath}.pub`)) return;
  // A rescue only: whatever stops it leaves the key as it was, and `find` and `generate` answer as
  // they would without it, not with an error no Try again gets past (a ~/.ssh it cannot write).
  try {
    if (readdirSync(dir).some((name) => name.startsWith(KEYGEN_FOLDER))) return;
    const result = await runProgram('ssh-keygen', ['-y', '-P', '', '-f', keyPath], { env: ctx.env, timeoutMs: 10_000 });
    const publicKey = result.stdout.trim();
    if (result.code !== 0 || !/^ssh-rsa [^\r\n]+$/.test(publicKey)) return;
    writeFileSync(`${keyPath}.pub`, `${publicKey}\n`, { flag: 'wx', mode: 0o644 });
    ctx.log.info(`wrote the missing ${keyPath}.pub, derived from the private key beside it`);
  } catch (error) {
    // EEXIST: written meanwhile (a generate finished), and that one stays.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') ctx.log.warn(`could not write the missing ${keyPath}.pub: ${(error as Error).message}`);
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

export async function sshKey(request: SshKeyRequest, ctx: HostContext): Promise<SshKeyData> {
  switch (request.action) {
    case 'find': {
      await mendKilledGenerates(ctx);
      // Only compared with the block, never written: any host name will do.
      const { key, matchFiles, unreadFiles } = await findKey(ctx, checkHosts(request.hosts, ctx, false));
      return { key, ...(matchFiles.length > 0 ? { matchFiles } : {}), ...(unreadFiles.length > 0 ? { unreadFiles } : {}) };
    }
    case 'generate':
      return generate(request, ctx);
    case 'configure':
      return configure(request, ctx);
  }
}
