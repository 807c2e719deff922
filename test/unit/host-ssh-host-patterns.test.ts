import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configLine, configWords, hostLineApplies, matchesPattern } from '../../src/host/ssh-host-patterns';

/** Strings of these characters, up to `max` long. */
const text = (chars: string[], max: number) => fc.array(fc.constantFrom(...chars), { maxLength: max }).map((a) => a.join(''));

describe('ssh Host patterns', () => {
  it('`*` is any run of characters (none too), `?` exactly one, everything else itself', () => {
    for (const [pattern, host] of [
      ['*', 'ssh.dev.azure.com'],
      ['*.azure.com', 'ssh.dev.azure.com'],
      ['**.azure.com', 'ssh.dev.azure.com'],
      ['vs-ssh.*', 'vs-ssh.visualstudio.com'],
      ['ssh.dev.azure.com*', 'ssh.dev.azure.com'],
      ['ssh.dev.azure.co?', 'ssh.dev.azure.com'],
      ['s*h.*.a?ure.*', 'ssh.dev.azure.com'],
      ['tfs.contoso.com', 'tfs.contoso.com'],
    ]) {
      expect(matchesPattern(host!, pattern!), `${pattern} ${host}`).toBe(true);
    }
    for (const [pattern, host] of [
      ['*.azure.com', 'azure.com'],
      ['ssh.dev.azure.co?', 'ssh.dev.azure.co'],
      ['ssh.dev.azure.co', 'ssh.dev.azure.com'],
      ['?ssh.dev.azure.com', 'ssh.dev.azure.com'],
      // A dot is a dot, a backslash a backslash: nothing else is special.
      ['ssh.dev.azure.co.', 'ssh.dev.azure.com'],
      ['ssh\\.dev.azure.com', 'ssh.dev.azure.com'],
      ['ssh.dev.azure.com|x', 'ssh.dev.azure.com'],
      ['tfs.contoso.com', 'tfs.contoso.com.evil.test'],
      ['', 'ssh.dev.azure.com'],
    ]) {
      expect(matchesPattern(host!, pattern!), `${pattern} ${host}`).toBe(false);
    }
  });

  it('takes no time on a pattern of many `*`s that does not match (a backtracking regular expression takes minutes)', () => {
    const started = performance.now();
    expect(matchesPattern('a'.repeat(40), `${'*a'.repeat(8)}*b`)).toBe(false);
    expect(matchesPattern('vs-ssh.visualstudio.com', '*s*s*s*s*s*s*s*s*s*x')).toBe(false);
    expect(hostLineApplies(['*s*s*s*s*s*s*s*s*s*x', '!*.*.*.*.*.*.*.*.*x', '*s*s*.*'], 'vs-ssh.visualstudio.com')).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
    // And still every way a `*` can take what it needs.
    expect(matchesPattern('aaab', '*a*b')).toBe(true);
    expect(matchesPattern('abcabd', '*ab?')).toBe(true);
    expect(matchesPattern('ab', 'a*?*b')).toBe(false);
    expect(matchesPattern('axb', 'a*?*b')).toBe(true);
    expect(matchesPattern('ssh.dev.azure.com', 's*s*.*.*.c*m')).toBe(true);
    expect(matchesPattern('ssh.dev.azure.com', 's*s*.*.*.*.c*m')).toBe(false);
  });

  it('decides as the regular expression of the pattern does, on short patterns and names', () => {
    fc.assert(
      fc.property(text(['a', 'b', '.', '*', '?'], 8), text(['a', 'b', '.'], 10), (pattern, name) => {
        const source = pattern.replace(/[.]/g, '\\.').replaceAll('*', '.*').replaceAll('?', '.');
        expect(matchesPattern(name, pattern)).toBe(new RegExp(`^${source}$`).test(name));
      }),
      { numRuns: 3000 },
    );
  });

  it('compares case and all, as ssh does with the name it is given (lower case in clone URLs)', () => {
    expect(matchesPattern('ssh.dev.azure.com', 'SSH.dev.azure.com')).toBe(false);
    expect(matchesPattern('ssh.dev.azure.com', '*.AZURE.com')).toBe(false);
    expect(matchesPattern('tfs.contoso.com', 'TFS.*')).toBe(false);
  });

  it('a Host line applies when a pattern matches and no negated one does; negation alone applies to nothing', () => {
    expect(hostLineApplies(['github.com', '*.azure.com'], 'ssh.dev.azure.com')).toBe(true);
    expect(hostLineApplies(['ssh.dev.azure.com', 'vs-ssh.*'], 'vs-ssh.visualstudio.com')).toBe(true);
    expect(hostLineApplies(['*', '!ssh.dev.azure.com'], 'ssh.dev.azure.com')).toBe(false);
    expect(hostLineApplies(['!ssh.dev.azure.com', '*'], 'ssh.dev.azure.com')).toBe(false);
    expect(hostLineApplies(['*', '!ssh.dev.azure.com'], 'vs-ssh.visualstudio.com')).toBe(true);
    expect(hostLineApplies(['ssh.dev.azure.com', '!*.azure.com'], 'ssh.dev.azure.com')).toBe(false);
    expect(hostLineApplies(['!github.com'], 'ssh.dev.azure.com')).toBe(false);
    // `!!x` negates `!x`, which matches no host name.
    expect(hostLineApplies(['!!ssh.dev.azure.com', '*'], 'ssh.dev.azure.com')).toBe(true);
    expect(hostLineApplies(['!SSH.dev.azure.com', '*'], 'ssh.dev.azure.com')).toBe(true);
    expect(hostLineApplies([], 'ssh.dev.azure.com')).toBe(false);
  });

  it('splits a line’s words as ssh does: quotes, escapes, a word starting with # ends the line', () => {
    expect(configWords('  ssh.dev.azure.com\tvs-ssh.*  ')).toEqual(['ssh.dev.azure.com', 'vs-ssh.*']);
    expect(configWords('"ssh.dev.azure.com" \'vs-ssh.*\'')).toEqual(['ssh.dev.azure.com', 'vs-ssh.*']);
    expect(configWords('"a b" c')).toEqual(['a b', 'c']);
    expect(configWords('a\\ b c')).toEqual(['a b', 'c']);
    expect(configWords('a"b c"d')).toEqual(['ab cd']);
    expect(configWords('a\\"b \\x')).toEqual(['a"b', '\\x']);
    expect(configWords('ssh.dev.azure.com # work')).toEqual(['ssh.dev.azure.com']);
    expect(configWords('github.com #ssh.dev.azure.com')).toEqual(['github.com']);
    expect(configWords('a#b ssh.dev.azure.com')).toEqual(['a#b', 'ssh.dev.azure.com']);
    expect(configWords('"#a" b')).toEqual(['#a', 'b']);
    expect(configWords('"ssh.dev.azure.com')).toBeUndefined();
    expect(configWords('')).toEqual([]);
  });

  it('reads a line’s keyword as ssh does: any case, then spaces, tabs and one `=`; a comment or blank line is none', () => {
    expect(configLine('IdentityFile ~/.ssh/a')).toEqual({ keyword: 'identityfile', words: ['~/.ssh/a'] });
    expect(configLine('\tIDENTITYFILE=~/.ssh/a # mine')).toEqual({ keyword: 'identityfile', words: ['~/.ssh/a'] });
    expect(configLine('  Host \t= \tssh.dev.azure.com\r')).toEqual({ keyword: 'host', words: ['ssh.dev.azure.com'] });
    // One `=` only: a second is the first word's.
    expect(configLine('IdentityFile = =~/.ssh/a')).toEqual({ keyword: 'identityfile', words: ['=~/.ssh/a'] });
    expect(configLine('Host')).toEqual({ keyword: 'host', words: [] });
    expect(configLine('Host "open')).toEqual({ keyword: 'host', words: undefined });
    for (const none of ['', '  \t', '# IdentityFile ~/.ssh/a', '  #Host *']) expect(configLine(none), none).toBeUndefined();
    expect(configLine('Host a \t\f')).toEqual({ keyword: 'host', words: ['a'] });
  });

  it('reads a line with a long run of blanks in no time (trailing blanks were looked for from each blank)', () => {
    const started = performance.now();
    expect(configLine(`Host a${' '.repeat(60_000)}b`)).toEqual({ keyword: 'host', words: ['a', 'b'] });
    expect(configLine(`Host a${' '.repeat(60_000)}`)).toEqual({ keyword: 'host', words: ['a'] });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
