/**
 * Which keys ~/.ssh/config gives ssh for a host, read as OpenSSH reads it (ssh_config(5);
 * readconf.c), so the companion never says ssh uses a key that it would not, nor misses one.
 */
import { closeSync, constants, fstatSync, opendirSync, openSync, readFileSync } from 'node:fs';
import { isAbsolute, join, parse, sep } from 'node:path';
import { locate } from './ssh-config-block';
import { configLine, hostLineApplies, matchesParts, type PatternPart } from './ssh-host-patterns';

/** An IdentityFile line that applies: the hosts asked for it applies to, and whether it is the companion's block. */
export interface NamedKey {
  /** The file ssh reads for these hosts: `~`, % tokens and `${VAR}` expanded. */
  identityFile: string;
  hosts: string[];
  inBlock: boolean;
}

/** What ssh knows of the side it runs on, for the files a config names (`~`, % tokens, `${VAR}`). */
export interface LocalSide {
  home: string;
  /** The user's login name (%u), when the system has one. */
  user: string | undefined;
  /** This computer's name (%l, and %L up to its first dot). */
  hostname: string;
  /** The user's id (%i); none on Windows. */
  uid: number | undefined;
  /** The environment ssh runs with (the one the companion gives git). */
  env: NodeJS.ProcessEnv;
  /** The names in a folder, for an Include's glob, read one by one (a glob may stop early): a test counts them. */
  readdir?: (dir: string) => Iterable<string>;
}

/** %r where the clone URLs always give the same user (`git@ssh.dev.azure.com:v3/…`); elsewhere it depends on the URL. */
const REMOTE_USERS = new Map([['ssh.dev.azure.com', 'git']]);

// ssh refuses Includes nested deeper than 16 (READCONF_MAX_DEPTH); the count of files bounds a
// config that includes itself, or a glob that names very many.
const MAX_DEPTH = 16;
const MAX_FILES = 64;
// The read is synchronous, so all Include globs of one find share a budget: enough for any
// config.d layout, and a few milliseconds at most, however many Include lines list huge folders.
const MAX_FOLDERS = 256;
const MAX_NAMES = 10_000;
/** The most the companion reads of an ssh file (a config or a .pub is a few KB): read whole, a file of hundreds of MB holds it for seconds. */
const MAX_FILE_BYTES = 1024 * 1024;

/** What ~/.ssh/config gives ssh for the hosts asked. */
export interface ConfigKeys {
  /** The IdentityFile lines that apply to the hosts, in the order ssh reads them: ssh tries every one of them. */
  named: NamedKey[];
  /**
   * The companion's block: the file its IdentityFile names (the block's own value, whether or not
   * its Host line serves a host asked) and the hosts asked that the block's section serves.
   */
  block: { identityFile: string; hosts: string[] } | undefined;
  /**
   * The files (~/.ssh/config, or one it includes) with a Match section that holds an IdentityFile
   * line: it may give ssh a key for a host asked, and only ssh can tell (a Match without one names no key).
   */
  matchFiles: string[];
  /**
   * What the companion did not read, and why: an included file too large, or a file whose Include
   * lines name more than it reads (files, folders, names), so what ssh gets from them cannot be told.
   */
  unread: { file: string; why: string }[];
}

/**
 * The files of IdentityFile lines that apply to one of `hosts` (anywhere in the file, the block included, and
 * in the files it includes), in the order ssh reads them, and the block's. `hosts` are
 * the names ssh is given (lower case, as in clone URLs). A Host line applies as ssh decides it
 * (patterns, negation), until the next Host or Match line: a line the user put after the block's
 * end marker is in the block's section. What a Match section gives cannot be told without ssh, so
 * it counts for no host (matchFiles says where one may give a key); nor does a line ssh refuses (an
 * unterminated quote, a missing or extra word). An Include is read where it stands, for the hosts
 * its section applies to (in a Match section, for matchFiles only); a section in the included file
 * ends at the file's end. A value whose file cannot be told (identityFile below) names none.
 */
export function identityFilesFor(text: string, hosts: readonly string[], local: LocalSide): ConfigKeys {
  let markers = { start: -1, end: -1 };
  try {
    markers = locate(text);
  } catch {
    // Damaged markers: no block, every section is the user's.
  }
  const found: { value: string; hosts: string[]; inBlock: boolean }[] = [];
  let block: { value: string; hosts: string[] } | undefined;
  const matchFiles = new Set<string>();
  // The first HostName that applies to a host is ssh's (%h).
  const hostNames = new Map<string, string>();
  let filesLeft = MAX_FILES;
  const globBudget = { folders: MAX_FOLDERS, names: MAX_NAMES };
  const unread = new Map<string, string>();
  const cutShort = (file: string) => {
    if (!unread.has(file)) unread.set(file, `its Include lines name more than the companion reads (${MAX_FILES} files, ${MAX_FOLDERS} folders, ${MAX_NAMES} names in all)`);
  };
  const read = (file: string, lines: string[], allowed: string[], underMatch: boolean, depth: number) => {
    let named = allowed;
    // In a Match section, or in a file included from one: what it gives, only ssh can tell.
    let inMatch = underMatch;
    lines.forEach((line, i) => {
      const parsed = configLine(line);
      if (!parsed) return;
      const { keyword, words } = parsed;
      const inBlock = depth === 0 && i > markers.start && i < markers.end;
      if (keyword === 'host' || keyword === 'match') {
        named = keyword === 'host' && words ? allowed.filter((h) => hostLineApplies(words, h)) : [];
        inMatch = underMatch || keyword === 'match';
      } else if (!words) {
        // ssh refuses it.
      } else if (keyword === 'identityfile' && words.length === 1 && words[0] !== '') {
        if (inMatch) matchFiles.add(file);
        // The block's key is its own even where the block serves none of the hosts asked (written for a server alone).
        if (inBlock) block ??= { value: words[0]!, hosts: named };
        if (named.length > 0) found.push({ value: words[0]!, hosts: named, inBlock });
      } else if (named.length === 0 && !inMatch) {
        // Applies to none of the hosts asked.
      } else if (keyword === 'include' && depth < MAX_DEPTH) {
        for (const word of words) {
          const paths = filesLeft > 0 ? includedFiles(word, local, globBudget) : undefined;
          // Past a limit no glob is worth a folder's read.
          if (paths === undefined) {
            cutShort(file);
            break;
          }
          if (paths.length > filesLeft) cutShort(file);
          for (const path of paths.slice(0, filesLeft)) {
            // Files read from this one may have used up the limit meanwhile.
            if (filesLeft-- <= 0) {
              cutShort(file);
              break;
            }
            const included = readConfig(path);
            if (typeof included === 'string') read(path, included.split(/\r?\n/), named, inMatch, depth + 1);
            else if (included) unread.set(path, included.message);
          }
        }
      } else if (keyword === 'hostname' && words.length === 1 && words[0] !== '') {
        for (const host of named) if (!hostNames.has(host)) hostNames.set(host, words[0]!);
      }
    });
  };
  read(join(local.home, '.ssh', 'config'), text.split(/\r?\n/), [...new Set(hosts)], false, 0);
  // A value with tokens can name a file of its own for each host.
  const named = found.flatMap(({ value, hosts: served, inBlock }) => {
    const byFile = new Map<string, string[]>();
    for (const host of served) {
      const file = identityFile(value, host, hostNames.get(host), local);
      if (file !== undefined) byFile.set(file, [...(byFile.get(file) ?? []), host]);
    }
    return [...byFile].map(([file, forHosts]) => ({ identityFile: file, hosts: forHosts, inBlock }));
  });
  // The companion writes `~/.ssh/…`, no token: a hand-made token that needs a host names no file.
  const blockFile = block && identityFile(block.value, undefined, undefined, local);
  return {
    named,
    block: block && blockFile !== undefined ? { identityFile: blockFile, hosts: block.hosts } : undefined,
    matchFiles: [...matchFiles],
    unread: [...unread].map(([file, why]) => ({ file, why })),
  };
}

/**
 * The file ssh reads for an IdentityFile value when it connects to `host` (undefined: any host):
 * `~` expanded, then % tokens and `${VAR}`. Undefined when that cannot be told here: a token that depends on more than
 * the host and this computer (%p, %C, %k, %j; %r but for ssh.dev.azure.com), a variable not set,
 * another user's home, or a relative path (ssh reads it from the folder git runs it in).
 */
function identityFile(value: string, host: string | undefined, hostName: string | undefined, local: LocalSide): string | undefined {
  const name = hostName === undefined ? host : expand(hostName, { h: host, '%': '%' }, {})?.toLowerCase();
  const tokens = { '%': '%', d: local.home, u: local.user, h: name, n: host, r: host === undefined ? undefined : REMOTE_USERS.get(host), l: local.hostname, L: local.hostname.split('.')[0], i: local.uid?.toString() };
  const tilded = tilde(value, local);
  const file = tilded === undefined ? undefined : expand(tilded, tokens, local.env);
  return file !== undefined && isAbsolute(file) ? file : undefined;
}

/** `text` with its `%x` tokens and `${VAR}`s replaced; undefined when one has no value (ssh refuses it). */
function expand(text: string, tokens: Record<string, string | undefined>, env: NodeJS.ProcessEnv): string | undefined {
  let unknown = false;
  const expanded = text.replace(/%(.?)|\$\{([^}]*)(\}?)/g, (_, token: string | undefined, variable: string | undefined, close: string | undefined) => {
    // Own properties only: `${constructor}` or `${toString}` is no variable of the environment.
    const value = token !== undefined ? tokens[token] : close && Object.hasOwn(env, variable!) ? env[variable!] : undefined;
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown ? undefined : expanded;
}

/** A path with `~`, `~/…` or `~user/…` (the user's own name) expanded as ssh does; undefined for another user's home. */
function tilde(path: string, local: LocalSide): string | undefined {
  if (!path.startsWith('~')) return path;
  const slash = path.indexOf('/');
  const user = path.slice(1, slash < 0 ? undefined : slash);
  if (user !== '' && user !== local.user) return undefined;
  return slash < 0 ? local.home : join(local.home, path.slice(slash + 1));
}

/**
 * An included file's text; undefined when it is gone, unreadable or not a regular file: ssh reads
 * nothing from it either (or refuses the config). A file too large to read is its error: what it
 * gives ssh cannot be told.
 */
function readConfig(path: string): string | Error | undefined {
  try {
    return readRegularFile(path);
  } catch (error) {
    return tooLarge(error) ? error : undefined;
  }
}

/** Whether readRegularFile refused a file for its size (EFBIG), rather than failing to read it. */
export const tooLarge = (error: unknown): error is Error => (error as NodeJS.ErrnoException | undefined)?.code === 'EFBIG';

/**
 * A regular file's text; undefined when there is nothing at `path`. Anything else (a folder, a
 * named pipe, a device), or a file above MAX_FILE_BYTES (EFBIG: tooLarge), throws, unread: the
 * read is synchronous, so a named pipe would hold the whole companion until something writes to
 * it, and a device such as /dev/zero never ends. Opened without waiting (opening a named pipe
 * waits for a writer), and checked as the file opened.
 */
export function readRegularFile(path: string): string | undefined {
  let fd: number;
  try {
    // No O_NONBLOCK on Windows, which has no named pipes among files.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new Error(`it is ${stats.isDirectory() ? 'a folder' : stats.isFIFO() ? 'a named pipe' : 'a device or socket'}, not a file`);
    // Read whole, it would hold the companion for seconds and take gigabytes of memory.
    if (stats.size > MAX_FILE_BYTES) {
      throw Object.assign(new Error(`it is ${(stats.size / MAX_FILE_BYTES).toFixed(1)} MiB, and the companion reads none above 1 MiB: an ssh config or key is a few KB`), { code: 'EFBIG' });
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The files an Include word names: relative to ~/.ssh unless it starts at `/` or `~`, a glob.
 * Undefined when the glob used up the budget.
 */
function includedFiles(word: string, local: LocalSide, budget: GlobBudget): string[] | undefined {
  const path = word.startsWith('~') ? tilde(word, local) : isAbsolute(word) ? word : join(local.home, '.ssh', word);
  return path === undefined ? [] : glob(path, local.readdir ?? namesOf, budget);
}

/** What the globs of one find may still list: folders, and names in them. */
interface GlobBudget {
  folders: number;
  names: number;
}

/**
 * The paths a glob(3) pattern names, sorted: `*`, `?` and `[…]` within a part of the path, a name
 * starting with `.` only where the pattern's part does too. A part without them is taken as it is.
 * Undefined when listing its folders used up the budget (the paths would be a guess).
 */
function glob(pattern: string, readdir: (dir: string) => Iterable<string>, budget: GlobBudget): string[] | undefined {
  const { root } = parse(pattern);
  let paths = [root];
  for (const part of pattern.slice(root.length).split(sep === '\\' ? /[\\/]/ : '/')) {
    if (part === '') continue;
    if (!/[*?[]/.test(part)) {
      paths = paths.map((path) => join(path, part));
      continue;
    }
    const matches = globPart(part);
    const found: string[] = [];
    for (const dir of paths) {
      const names = namesIn(dir, readdir, budget);
      if (names === undefined) return undefined;
      for (const name of names) if (matchesParts(name, matches) && (!name.startsWith('.') || part.startsWith('.'))) found.push(join(dir, name));
    }
    paths = found;
  }
  return paths.toSorted();
}

/** The names in a folder (none when it cannot be listed); undefined once the budget is used up, the rest unread. */
function namesIn(dir: string, readdir: (dir: string) => Iterable<string>, budget: GlobBudget): string[] | undefined {
  // Spent, it stays spent: a later Include opens no folder.
  if (budget.folders <= 0 || budget.names <= 0) return undefined;
  budget.folders--;
  const names: string[] = [];
  try {
    for (const name of readdir(dir)) {
      if (budget.names-- <= 0) return undefined;
      names.push(name);
    }
  } catch {
    return [];
  }
  return names;
}

/** A folder's names, read as they are asked for: a glob that stops early lists no more of it. */
function* namesOf(dir: string): Generator<string> {
  const folder = opendirSync(dir);
  try {
    for (let entry = folder.readSync(); entry !== null; entry = folder.readSync()) yield entry.name;
  } finally {
    folder.closeSync();
  }
}

/**
 * One part of a glob as pattern parts: `*` any run, `?` one character, `[a-f]` or `[!a]` a set
 * (`[^a]` too, as glibc has it; a range out of order has nothing in it), `\\` escapes.
 */
function globPart(part: string): PatternPart[] {
  const parts: PatternPart[] = [];
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    // A set's first character may be its `]`; without a closing `]`, `[` is itself.
    const close = c === '[' ? part.indexOf(']', i + (part[i + 1] === '!' || part[i + 1] === '^' ? 3 : 2)) : -1;
    if (c === '*') parts.push('*');
    else if (c === '?') parts.push(() => true);
    else if (close > 0) {
      parts.push(inSet(part.slice(i + 1, close)));
      i = close;
    } else {
      const literal = c === '\\' && i + 1 < part.length ? part[++i]! : c;
      parts.push((d) => d === literal);
    }
  }
  return parts;
}

/** Whether a character is in the set `[…]` whose inside this is: single characters and `a-f` ranges, `!` or `^` first to negate. */
function inSet(inside: string): (c: string) => boolean {
  const negated = inside.startsWith('!') || inside.startsWith('^');
  const items = negated ? inside.slice(1) : inside;
  const ranges: [string, string][] = [];
  for (let i = 0; i < items.length; i++) {
    const range = items[i + 1] === '-' && i + 2 < items.length;
    ranges.push([items[i]!, range ? items[i + 2]! : items[i]!]);
    if (range) i += 2;
  }
  return (c) => ranges.some(([low, high]) => low <= c && c <= high) !== negated;
}
