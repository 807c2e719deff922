export type GitService = 'git-upload-pack' | 'git-receive-pack';

export interface GitExec {
  service: GitService;
  /** The repository path as the client wrote it (quotes removed, not yet percent-decoded). */
  path: string;
}

/**
 * What an SSH exec request asks for. git sends `git-upload-pack 'v3/org/project/repo'` (single
 * quotes, `'` written as `'\''` and `!` as `'\!'`); other clients send the path bare, in double
 * quotes, or `git upload-pack`. Anything else (a shell command, a second argument) is undefined.
 */
export function parseExecCommand(command: string): GitExec | undefined {
  const words = shellWords(command.trim());
  if (!words) return undefined;
  if (words[0] === 'git' && words.length > 1) words.splice(0, 2, `git-${words[1]}`);
  const [program, target, ...extra] = words;
  if ((program !== 'git-upload-pack' && program !== 'git-receive-pack') || target === undefined || target === '' || extra.length) return undefined;
  return { service: program, path: target };
}

/** POSIX-shell word splitting for quotes and backslashes only (no expansion); undefined when unbalanced. */
function shellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    }
    word ??= '';
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word += text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`'.includes(text[j + 1]!)) j++;
        word += text[j];
      }
      if (j >= text.length) return undefined;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return undefined;
      word += text[++i];
    } else {
      word += c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
