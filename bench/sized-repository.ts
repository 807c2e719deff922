/**
 * A repository of a working project's size for the clone benchmark: 1,500 source files in 60
 * folders (~9 MB) and 400 commits that edit a few files each (~9 MB packed), where the sandbox's
 * seeded repositories hold a few dozen small files. Whether the companion's cost is fixed per
 * clone or grows with it, and so what share of a user's clone it takes, only a clone of real size
 * says (BENCHMARKS.md, *Sixth pass*: it grows).
 *
 * The history is generated (the same bytes, and so the same commit ids, on every run), imported
 * with `git fast-import`, then created and pushed the way a user would: the REST API's
 * repository creation and `git push` over HTTPS, so the sandbox serves it as it serves any push.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runGit } from '../sandbox/git-exec';

const run = promisify(execFile);

export const SIZED = { files: 1500, folders: 60, commits: 400, filesPerCommit: 3 } as const;

/** xorshift32: a fixed sequence, so the content never changes between runs. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}`;

/** The whole history as one `git fast-import` stream on `refs/heads/main`. */
export function sizedHistory(): string {
  const rnd = random(0x9e3779b9);
  const pick = <T>(list: readonly T[], skew = 1) => list[Math.floor(rnd() ** skew * list.length)]!;
  const words = Array.from({ length: 2000 }, () => Array.from({ length: 3 + Math.floor(rnd() * 8) }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join(''));
  const keywords = ['const', 'return', 'if', 'export', 'function', 'await', 'import', 'for', 'let', 'new', 'this', 'class'];
  // Code-like lines: indentation, a few identifiers (common ones more often) and keywords.
  const line = () => {
    const tokens = Array.from({ length: 2 + Math.floor(rnd() * 8) }, () => (rnd() < 0.3 ? pick(keywords) : pick(words, 2)));
    return '  '.repeat(Math.floor(rnd() * 4)) + tokens.join(rnd() < 0.5 ? ' ' : '.') + (rnd() < 0.6 ? ';' : ' {');
  };
  const names = Array.from({ length: SIZED.files }, (_, f) => `src/${words[f % SIZED.folders]}/${words[100 + f]}.ts`);
  const files = names.map(() => Array.from({ length: 40 + Math.floor(rnd() * 250) }, line));

  const out: string[] = [];
  for (let c = 0; c < SIZED.commits; c++) {
    const ident = `Ada Lovelace <ada@fabrikam.example> ${1_786_000_000 + c * 3600} +0000`;
    out.push('commit refs/heads/main', `mark :${c + 1}`, `author ${ident}`, `committer ${ident}`, data(c === 0 ? 'Import the service\n' : `Change ${c}\n`));
    if (c > 0) out.push(`from :${c}`);
    const touched = c === 0 ? names.map((_, i) => i) : Array.from({ length: SIZED.filesPerCommit }, () => Math.floor(rnd() * SIZED.files));
    for (const i of touched) {
      const lines = files[i]!;
      if (c > 0) {
        for (let k = 0; k < 4; k++) lines[Math.floor(rnd() * lines.length)] = line();
        lines.push(line());
      }
      out.push(`M 100644 inline ${names[i]}`, data(lines.join('\n') + '\n'));
    }
    out.push('');
  }
  out.push('done', '');
  return out.join('\n');
}

/**
 * Creates `name` in `org/project` through the REST API and pushes the generated history to it;
 * `gitEnv` carries the PAT as http.extraHeader and trusts the sandbox's CA.
 */
export async function pushSizedRepository(o: { sandboxFetch: typeof fetch; org: string; project: string; name: string; pat: string; gitEnv: NodeJS.ProcessEnv; workDir: string }): Promise<string> {
  const created = await o.sandboxFetch(`https://dev.azure.com/${o.org}/${encodeURIComponent(o.project)}/_apis/git/repositories?api-version=7.1`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`:${o.pat}`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: o.name }),
  });
  if (created.status !== 201) throw new Error(`creating ${o.name} in the sandbox: HTTP ${created.status} ${await created.text()}`);
  const source = join(o.workDir, `${o.name}.git`);
  await runGit(['init', '--bare', '--quiet', '--initial-branch=main', source]);
  await runGit(['fast-import', '--quiet'], { gitDir: source, input: sizedHistory() });
  const url = `https://${o.org}@dev.azure.com/${o.org}/${encodeURIComponent(o.project)}/_git/${encodeURIComponent(o.name)}`;
  await run('git', ['--git-dir', source, 'push', '--quiet', url, 'main'], { env: o.gitEnv });
  return url;
}
