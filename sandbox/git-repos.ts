import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { logCommits, type LogEntry } from './api/git-log';
import { runGit } from './git-exec';
import { fastImportStream, historySize, type HistorySpec } from './seed-history';
import type { Repository } from './store';

export interface GitRef {
  name: string;
  objectId: string;
}

type PushListener = (repo: Repository) => void | Promise<void>;

/**
 * The real bare repositories behind the sandbox's Repository records.
 *
 * Seeded histories are imported once into a shared object pool (`{dataDir}/seed-pool.git`,
 * reused across runs when the seed is unchanged); a repository is created by writing a bare
 * repository whose `objects/info/alternates` points at the pool and whose packed-refs name the
 * seeded branches. That makes creating thousands of repositories cheap, and lets large
 * organizations create theirs lazily on first use. Everything else (refs, commits, pushes)
 * is read from and written to the repositories by git itself; nothing is cached here.
 */
export class GitRepos {
  private readonly pool: string;
  private readonly histories = new Map<string, HistorySpec>();
  private seedRefs = new Map<string, GitRef[]>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly pushListeners: PushListener[] = [];

  constructor(readonly root: string, dataDir: string) {
    this.pool = path.join(dataDir, 'seed-pool.git');
  }

  /** Imports every history into the pool (or reuses a pool made from the same stream). */
  async importHistories(specs: HistorySpec[]): Promise<void> {
    for (const s of specs) this.histories.set(s.key, s);
    const stream = fastImportStream(specs);
    const stamp = createHash('sha256').update(stream).digest('hex');
    const stampFile = path.join(this.pool, 'sandbox-seed-stamp');
    const refsFile = path.join(this.pool, 'sandbox-seed-refs.json');
    if ((await readText(stampFile)) !== stamp) {
      const tmp = `${this.pool}.tmp-${process.pid}-${Date.now()}`;
      await runGit(['init', '--bare', '-q', tmp]);
      await runGit(['fast-import', '--quiet'], { gitDir: tmp, input: stream });
      const refs = await forEachRef(tmp, 'refs/seed/');
      await writeFile(path.join(tmp, 'sandbox-seed-refs.json'), JSON.stringify(refs));
      await writeFile(path.join(tmp, 'sandbox-seed-stamp'), stamp);
      await rm(this.pool, { recursive: true, force: true });
      await rename(tmp, this.pool);
    }
    const all = JSON.parse(await readFile(refsFile, 'utf8')) as GitRef[];
    this.seedRefs = new Map();
    for (const ref of all) {
      const m = /^refs\/seed\/([^/]+)\/(.+)$/.exec(ref.name);
      if (!m) continue;
      const list = this.seedRefs.get(m[1]!) ?? [];
      list.push({ name: `refs/${m[2]!}`, objectId: ref.objectId });
      this.seedRefs.set(m[1]!, list);
    }
  }

  /** Makes sure the bare repository exists on disk (creating it from its seed history once). */
  ensure(repo: Repository): Promise<void> {
    if (existsSync(path.join(repo.gitDir, 'HEAD'))) return Promise.resolve();
    let p = this.pending.get(repo.id);
    if (!p) {
      p = this.materialize(repo, repo.history ? (this.seedRefs.get(repo.history) ?? []) : []).finally(() => this.pending.delete(repo.id));
      this.pending.set(repo.id, p);
    }
    return p;
  }

  /** A new repository that shares the parent's objects and starts with its refs (a fork). */
  async createFork(fork: Repository, parent: Repository, onlyRef?: string): Promise<void> {
    await this.ensure(parent);
    const refs = (await this.refs(parent)).filter((r) => !onlyRef || r.name === onlyRef);
    await this.materialize(fork, refs, [path.join(parent.gitDir, 'objects')]);
  }

  private async materialize(repo: Repository, refs: GitRef[], extraAlternates: string[] = []): Promise<void> {
    const dir = repo.gitDir;
    await mkdir(path.join(dir, 'objects', 'info'), { recursive: true });
    await mkdir(path.join(dir, 'objects', 'pack'), { recursive: true });
    await mkdir(path.join(dir, 'refs', 'heads'), { recursive: true });
    await mkdir(path.join(dir, 'refs', 'tags'), { recursive: true });
    await writeFile(path.join(dir, 'config'), '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n');
    const alternates = [...extraAlternates, ...(refs.length ? [path.join(this.pool, 'objects')] : [])];
    if (alternates.length) await writeFile(path.join(dir, 'objects', 'info', 'alternates'), alternates.join('\n') + '\n');
    const sorted = refs.toSorted((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (sorted.length) {
      await writeFile(path.join(dir, 'packed-refs'), '# pack-refs with: peeled fully-peeled sorted \n' + sorted.map((r) => `${r.objectId} ${r.name}\n`).join(''));
    }
    // HEAD last: its presence marks the repository as complete (see ensure()).
    await writeFile(path.join(dir, 'HEAD'), `ref: refs/heads/${repo.initialBranch}\n`);
  }

  async remove(repo: Repository): Promise<void> {
    await rm(repo.gitDir, { recursive: true, force: true });
  }

  /** Where git http-backend finds the repository, relative to `root` (its GIT_PROJECT_ROOT). */
  projectPath(repo: Repository): string {
    return '/' + path.relative(this.root, repo.gitDir).split(path.sep).join('/');
  }

  // ---- reading (straight from the repository) -------------------------------------------

  /** `refs/heads/x` that HEAD names, if that branch exists; undefined for an empty repository. */
  async defaultBranch(repo: Repository): Promise<string | undefined> {
    if (!existsSync(path.join(repo.gitDir, 'HEAD'))) return this.seedDefaultBranch(repo);
    const head = await headTarget(repo.gitDir);
    if (!head) return undefined;
    return (await refExists(repo.gitDir, head)) ? head : undefined;
  }

  /** Repository size in bytes: the seeded content plus whatever was pushed since. */
  async size(repo: Repository): Promise<number> {
    const seeded = repo.history && this.histories.get(repo.history);
    const base = seeded ? historySize(seeded) : 0;
    return base + (await dirSize(path.join(repo.gitDir, 'objects')));
  }

  async refs(repo: Repository, prefix = 'refs/'): Promise<GitRef[]> {
    await this.ensure(repo);
    return forEachRef(repo.gitDir, prefix);
  }

  /** Commits reachable from `ref` (default HEAD), newest first; `path` limits to commits touching it. */
  async commits(repo: Repository, opts: { ref?: string; path?: string; top?: number; skip?: number } = {}): Promise<LogEntry[]> {
    await this.ensure(repo);
    return logCommits(repo.gitDir, { from: opts.ref ?? 'HEAD', ...(opts.path ? { path: opts.path } : {}), top: opts.top ?? 100, skip: opts.skip ?? 0 });
  }

  /** Runs any git command in the repository (creating it first if needed). */
  async git(repo: Repository, args: string[], input?: string): Promise<string> {
    await this.ensure(repo);
    return (await runGit(args, { gitDir: repo.gitDir, input })).stdout;
  }

  // ---- pushes ---------------------------------------------------------------------------

  /** Called after every push that changed a repository (git over HTTPS; REST pushes should call it too). */
  onPush(listener: PushListener): void {
    this.pushListeners.push(listener);
  }

  /**
   * Like Azure DevOps: the first branch pushed to an empty repository becomes its default
   * branch. Then the listeners run.
   */
  async afterPush(repo: Repository): Promise<void> {
    const head = await headTarget(repo.gitDir);
    if (!head || !(await refExists(repo.gitDir, head))) {
      const branches = await forEachRef(repo.gitDir, 'refs/heads/');
      const first = branches.find((b) => b.name === `refs/heads/${repo.initialBranch}`) ?? branches[0];
      if (first) await writeFile(path.join(repo.gitDir, 'HEAD'), `ref: ${first.name}\n`);
    }
    for (const l of this.pushListeners) await l(repo);
  }

  private seedDefaultBranch(repo: Repository): string | undefined {
    if (!repo.history) return undefined;
    const name = `refs/heads/${repo.initialBranch}`;
    return this.seedRefs.get(repo.history)?.some((r) => r.name === name) ? name : undefined;
  }
}

async function forEachRef(gitDir: string, prefix: string): Promise<GitRef[]> {
  const out = (await runGit(['for-each-ref', '--format=%(objectname) %(refname)', prefix], { gitDir })).stdout;
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const i = line.indexOf(' ');
      return { objectId: line.slice(0, i), name: line.slice(i + 1) };
    });
}

async function headTarget(gitDir: string): Promise<string | undefined> {
  const head = (await readText(path.join(gitDir, 'HEAD')))?.trim();
  return head?.startsWith('ref: ') ? head.slice(5) : undefined;
}

async function refExists(gitDir: string, ref: string): Promise<boolean> {
  if (existsSync(path.join(gitDir, ref))) return true;
  const packed = await readText(path.join(gitDir, 'packed-refs'));
  return !!packed?.split('\n').some((line) => line.endsWith(` ${ref}`));
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await dirSize(p);
    else if (e.isFile() && e.name !== 'alternates') total += (await stat(p)).size;
  }
  return total;
}
