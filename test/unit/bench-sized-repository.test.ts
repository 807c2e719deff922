import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SIZED, sizedHistory } from '../../bench/sized-repository';

/** The commits of a fast-import stream, each with the paths it writes and their bytes. */
function commitsOf(stream: string) {
  const commits: Array<{ paths: string[]; bytes: number }> = [];
  let at = 0;
  while (at < stream.length) {
    const end = stream.indexOf('\n', at);
    const line = stream.slice(at, end);
    at = end + 1;
    if (line.startsWith('commit ')) commits.push({ paths: [], bytes: 0 });
    else if (line.startsWith('M 100644 inline ')) commits.at(-1)!.paths.push(line.slice('M 100644 inline '.length));
    else if (line.startsWith('data ')) {
      // Skip the payload (it may hold lines that look like commands).
      const size = Number(line.slice(5));
      if (commits.at(-1)!.paths.length > 0) commits.at(-1)!.bytes += size;
      at += size;
    }
  }
  return commits;
}

const digest = (s: string) => createHash('sha256').update(s).digest('hex');

describe('the clone benchmark’s sized repository', () => {
  const stream = sizedHistory();
  const commits = commitsOf(stream);

  // Making the history again takes ~1 s on a quiet machine and over 5 s on a loaded one.
  it('is the same bytes on every run, so its figures compare across runs', { timeout: 30_000 }, () => {
    expect(digest(sizedHistory())).toBe(digest(stream));
  });

  it('has the size its method states: every file in the first commit, a few edited per later commit', () => {
    expect(commits).toHaveLength(SIZED.commits);
    expect(new Set(commits[0]!.paths).size).toBe(SIZED.files);
    expect(new Set(commits[0]!.paths.map((p) => p.split('/')[1])).size).toBe(SIZED.folders);
    for (const c of commits.slice(1)) expect(c.paths).toHaveLength(SIZED.filesPerCommit);
    // ~9 MB of source in the work tree (BENCHMARKS.md states it).
    expect(commits[0]!.bytes).toBeGreaterThan(7e6);
    expect(commits[0]!.bytes).toBeLessThan(11e6);
  });

  it('edits files that exist, so later commits are deltas rather than new files', () => {
    const first = new Set(commits[0]!.paths);
    for (const c of commits.slice(1)) for (const p of c.paths) expect(first.has(p)).toBe(true);
  });
});
