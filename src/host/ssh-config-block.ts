/**
 * The companion's block in ~/.ssh/config, between two marker lines. Writing it again replaces it
 * where it stands (idempotent); everything outside the markers stays byte for byte. A new block
 * goes before the first Host/Match section, after the lines that apply to all hosts, so those
 * keep applying to all hosts and the block is not swallowed by a section above it.
 */
import { HostError } from './host-error';
import { configWords, hostLineApplies } from './ssh-host-patterns';

export const BLOCK_START = '# >>> Azure DevOps Companion >>>';
export const BLOCK_END = '# <<< Azure DevOps Companion <<<';

export interface SshBlock {
  hosts: string[];
  /** As ssh reads it, e.g. `~/.ssh/id_rsa_azure_devops`. */
  identityFile: string;
}

// ssh has no way to write these in a config value: a `"` ends the quotes, a backslash escapes,
// `%` is a token and `${` an environment variable ssh expands, a line break starts a new setting.
// oxlint-disable-next-line no-control-regex -- control characters are exactly what is refused
const UNQUOTABLE = /["\\%$\u0000-\u001f\u007f]/;

/** Why ssh could not be told `value` as an IdentityFile exactly, or undefined when it can. */
export function identityFileProblem(value: string): string | undefined {
  if (UNQUOTABLE.test(value)) return 'it contains a character ssh would read differently (" \\ % $ or a control character)';
  if (value.trim() !== value) return 'it starts or ends with a space';
  return undefined;
}

// Quoted when a space, `#` (a comment) or `'` (a quote) would otherwise split or cut the value.
const quote = (value: string) => (/[\s#']/.test(value) ? `"${value}"` : value);

export function renderBlock(block: SshBlock): string[] {
  const problem = identityFileProblem(block.identityFile);
  if (problem) throw new HostError('BAD_REQUEST', `the key path ${JSON.stringify(block.identityFile)} cannot be named in ~/.ssh/config: ${problem}`);
  return [
    BLOCK_START,
    '# Written by the Azure DevOps Companion: it replaces the lines between these markers.',
    `Host ${block.hosts.join(' ')}`,
    `  IdentityFile ${quote(block.identityFile)}`,
    '  IdentitiesOnly yes',
    BLOCK_END,
  ];
}

interface Located {
  lines: string[];
  start: number;
  end: number;
}

function locate(text: string): Located {
  const lines = text.split(/\r?\n/);
  const starts = lines.flatMap((l, i) => (l.trim() === BLOCK_START ? [i] : []));
  const ends = lines.flatMap((l, i) => (l.trim() === BLOCK_END ? [i] : []));
  if (starts.length === 0 && ends.length === 0) return { lines, start: -1, end: -1 };
  const [start] = starts;
  const [end] = ends;
  if (starts.length !== 1 || ends.length !== 1 || start === undefined || end === undefined || end < start) {
    throw new HostError(
      'SSH_CONFIG_CONFLICT',
      `~/.ssh/config has damaged "Azure DevOps Companion" markers; remove the lines between "${BLOCK_START}" and "${BLOCK_END}" (and the markers) and try again`,
    );
  }
  return { lines, start, end };
}

/** Inserts or replaces the block; `changed` is false when the file already said exactly this. */
export function upsertBlock(text: string, block: SshBlock): { text: string; changed: boolean } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const { lines, start, end } = locate(text);
  const rendered = renderBlock(block);
  let out: string[];
  if (start >= 0) {
    out = [...lines.slice(0, start), ...rendered, ...lines.slice(end + 1)];
  } else if (text.trim() === '') {
    out = [...rendered, ''];
  } else {
    const firstSection = lines.findIndex((l) => /^\s*(host|match)(\s|=)/i.test(l));
    if (firstSection >= 0) {
      out = [...lines.slice(0, firstSection), ...rendered, '', ...lines.slice(firstSection)];
    } else {
      const body = lines.at(-1) === '' ? lines.slice(0, -1) : lines;
      out = [...body, '', ...rendered, ''];
    }
  }
  const result = out.join(eol);
  return { text: result, changed: result !== text };
}

/** The block's contents, when the file has one. */
export function readBlock(text: string): SshBlock | undefined {
  let located: Located;
  try {
    located = locate(text);
  } catch {
    return undefined;
  }
  if (located.start < 0) return undefined;
  const inside = located.lines.slice(located.start + 1, located.end);
  const hosts = inside.map((l) => /^\s*host(?:\s*=\s*|\s+)(.+)$/i.exec(l)?.[1]).find((h) => h !== undefined);
  const identity = inside.map((l) => /^\s*identityfile(?:\s*=\s*|\s+)(.+)$/i.exec(l)?.[1]).find((h) => h !== undefined);
  if (hosts === undefined || identity === undefined) return undefined;
  return { hosts: hosts.trim().split(/\s+/), identityFile: identity.trim().replace(/^"(.*)"$/, '$1') };
}

/** An IdentityFile line of a Host section: the hosts asked for that the section names, and whether it is the companion's block. */
export interface NamedKey {
  identityFile: string;
  hosts: string[];
  inBlock: boolean;
}

/**
 * IdentityFile values of Host sections that apply to one of `hosts` (anywhere in the file, the
 * block included), in file order: ssh tries every one of them. `hosts` are the names ssh is given
 * (lower case, as in clone URLs); a Host line applies as ssh decides it (patterns, negation). What
 * a Match section gives cannot be told without ssh, so it counts for no host.
 */
export function identityFilesFor(text: string, hosts: readonly string[]): NamedKey[] {
  const wanted = [...new Set(hosts)];
  let block: { start: number; end: number } = { start: -1, end: -1 };
  try {
    block = locate(text);
  } catch {
    // Damaged markers: no block, every section is the user's.
  }
  const found: NamedKey[] = [];
  let named: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    // What follows the block's end belongs to its section for ssh, but was written by the user.
    if (i === block.end) named = [];
    const section = /^\s*(host|match)(?:\s*=\s*|\s+)(.+)$/i.exec(line);
    if (section) {
      const patterns = section[1]!.toLowerCase() === 'host' ? configWords(section[2]!) : undefined;
      named = patterns ? wanted.filter((h) => hostLineApplies(patterns, h)) : [];
      return;
    }
    const identity = /^\s*identityfile(?:\s*=\s*|\s+)(.+)$/i.exec(line);
    if (named.length > 0 && identity) found.push({ identityFile: identity[1]!.trim().replace(/^"(.*)"$/, '$1'), hosts: named, inBlock: i > block.start && i < block.end });
  });
  return found;
}
