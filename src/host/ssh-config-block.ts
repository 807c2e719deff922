/**
 * The companion's block in ~/.ssh/config, between two marker lines. Writing it again replaces it
 * where it stands (idempotent); everything outside the markers stays byte for byte. A new block
 * goes before the first Host/Match section, after the lines that apply to all hosts, so those
 * keep applying to all hosts and the block is not swallowed by a section above it.
 */
import { HostError } from './host-error';
import { configLine } from './ssh-host-patterns';

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

export interface Located {
  lines: string[];
  /** The marker lines' indexes, -1 without a block. */
  start: number;
  end: number;
}

/** The file's lines and where the block is in them; SSH_CONFIG_CONFLICT for damaged markers. */
export function locate(text: string): Located {
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
  const inside = located.lines.slice(located.start + 1, located.end).map(configLine);
  const hosts = inside.find((l) => l?.keyword === 'host')?.words;
  const identity = inside.find((l) => l?.keyword === 'identityfile')?.words;
  if (!hosts?.length || identity?.length !== 1) return undefined;
  return { hosts, identityFile: identity[0]! };
}
