/**
 * Which keys ~/.ssh/config gives ssh for a host, read as OpenSSH reads it (ssh_config(5);
 * readconf.c), so the companion never says ssh uses a key that it would not, nor misses one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, parse, sep } from 'node:path';
import { locate } from './ssh-config-block';
import { configLine, hostLineApplies } from './ssh-host-patterns';

/** An IdentityFile line that applies: the hosts asked for it applies to, and whether it is the companion's block. */
export interface NamedKey {
  identityFile: string;
  hosts: string[];
  inBlock: boolean;
}

/** What ssh knows of the side it runs on, for the files a config names. */
export interface LocalSide {
  home: string;
}

// ssh refuses Includes nested deeper than 16 (READCONF_MAX_DEPTH); the count of files bounds a
// config that includes itself, or a glob that names very many.
const MAX_DEPTH = 16;
const MAX_FILES = 64;

/**
 * IdentityFile values that apply to one of `hosts` (anywhere in the file, the block included, and
 * in the files it includes), in the order ssh reads them: ssh tries every one of them. `hosts` are
 * the names ssh is given (lower case, as in clone URLs). A Host line applies as ssh decides it
 * (patterns, negation), until the next Host or Match line: a line the user put after the block's
 * end marker is in the block's section. What a Match section gives cannot be told without ssh, so
 * it counts for no host; nor does a line ssh refuses (an unterminated quote, a missing or extra
 * word). An Include is read where it stands, for the hosts its section applies to; a section in
 * the included file ends at the file's end.
 */
export function identityFilesFor(text: string, hosts: readonly string[], local: LocalSide): NamedKey[] {
  let block = { start: -1, end: -1 };
  try {
    block = locate(text);
  } catch {
    // Damaged markers: no block, every section is the user's.
  }
  const found: NamedKey[] = [];
  let filesLeft = MAX_FILES;
  const read = (lines: string[], allowed: string[], depth: number) => {
    let named = allowed;
    lines.forEach((line, i) => {
      const parsed = configLine(line);
      if (!parsed) return;
      const { keyword, words } = parsed;
      if (keyword === 'host' || keyword === 'match') {
        named = keyword === 'host' && words ? allowed.filter((h) => hostLineApplies(words, h)) : [];
      } else if (named.length === 0 || !words) {
        // Applies to none of the hosts asked, or ssh refuses it.
      } else if (keyword === 'include' && depth < MAX_DEPTH) {
        for (const path of words.flatMap((word) => includedFiles(word, local.home))) {
          const included = filesLeft-- > 0 ? readConfig(path) : undefined;
          if (included !== undefined) read(included.split(/\r?\n/), named, depth + 1);
        }
      } else if (keyword === 'identityfile' && words.length === 1 && words[0] !== '') {
        found.push({ identityFile: words[0]!, hosts: named, inBlock: depth === 0 && i > block.start && i < block.end });
      }
    });
  };
  read(text.split(/\r?\n/), [...new Set(hosts)], 0);
  return found;
}

function readConfig(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // Gone, a folder, or unreadable: ssh reads nothing from it either (or refuses the config).
    return undefined;
  }
}

/** The files an Include word names: relative to ~/.ssh unless it starts at `/` or `~`, a glob. */
function includedFiles(word: string, home: string): string[] {
  if (word === '~' || word.startsWith('~/')) return glob(join(home, word.slice(2)));
  // `~user/`: another user's home, which the companion does not look up.
  if (word.startsWith('~')) return [];
  return glob(isAbsolute(word) ? word : join(home, '.ssh', word));
}

/**
 * The paths a glob(3) pattern names, sorted: `*`, `?` and `[…]` within a part of the path, a name
 * starting with `.` only where the pattern's part does too. A part without them is taken as it is.
 */
function glob(pattern: string): string[] {
  const { root } = parse(pattern);
  let paths = [root];
  for (const part of pattern.slice(root.length).split(sep === '\\' ? /[\\/]/ : '/')) {
    if (part === '') continue;
    if (!/[*?[]/.test(part)) {
      paths = paths.map((path) => join(path, part));
      continue;
    }
    const matches = globPart(part);
    paths = paths
      .flatMap((dir) => namesIn(dir).flatMap((name) => (matches.test(name) && (!name.startsWith('.') || part.startsWith('.')) ? [join(dir, name)] : [])))
      .toSorted()
      .slice(0, MAX_FILES);
  }
  return paths.toSorted();
}

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** One part of a glob as a regular expression: `*` any run, `?` one character, `[a-f]` or `[!a]` a set, `\\` escapes. */
function globPart(part: string): RegExp {
  let source = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    // A set's first character may be its `]`; without a closing `]`, `[` is itself.
    const close = c === '[' ? part.indexOf(']', i + (part[i + 1] === '!' ? 3 : 2)) : -1;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (close > 0) {
      source += `[${part.slice(i + 1, close).replace(/^!/, '^').replace(/[[\]\\]/g, '\\$&')}]`;
      i = close;
    } else if (c === '\\' && i + 1 < part.length) source += escape(part[++i]!);
    else source += escape(c);
  }
  return new RegExp(`^${source}$`, 's');
}
