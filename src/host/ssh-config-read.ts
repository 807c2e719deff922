/**
 * Which keys ~/.ssh/config gives ssh for a host, read as OpenSSH reads it (ssh_config(5);
 * readconf.c), so the companion never says ssh uses a key that it would not, nor misses one.
 */
import { locate } from './ssh-config-block';
import { configLine, hostLineApplies } from './ssh-host-patterns';

/** An IdentityFile line that applies: the hosts asked for it applies to, and whether it is the companion's block. */
export interface NamedKey {
  identityFile: string;
  hosts: string[];
  inBlock: boolean;
}

/**
 * IdentityFile values that apply to one of `hosts` (anywhere in the file, the block included), in
 * file order: ssh tries every one of them. `hosts` are the names ssh is given (lower case, as in
 * clone URLs). A Host line applies as ssh decides it (patterns, negation), until the next Host or
 * Match line: a line the user put after the block's end marker is in the block's section. What a
 * Match section gives cannot be told without ssh, so it counts for no host; nor does a line ssh
 * refuses (an unterminated quote, a missing or extra word).
 */
export function identityFilesFor(text: string, hosts: readonly string[]): NamedKey[] {
  const wanted = [...new Set(hosts)];
  let block = { start: -1, end: -1 };
  try {
    block = locate(text);
  } catch {
    // Damaged markers: no block, every section is the user's.
  }
  const found: NamedKey[] = [];
  let named = wanted;
  text.split(/\r?\n/).forEach((line, i) => {
    const parsed = configLine(line);
    if (!parsed) return;
    const { keyword, words } = parsed;
    if (keyword === 'host' || keyword === 'match') {
      named = keyword === 'host' && words ? wanted.filter((h) => hostLineApplies(words, h)) : [];
    } else if (keyword === 'identityfile' && named.length > 0 && words?.length === 1 && words[0] !== '') {
      found.push({ identityFile: words[0]!, hosts: named, inBlock: i > block.start && i < block.end });
    }
  });
  return found;
}
