import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commitTree, gitText, type Person } from './git-plumbing';
import { invalidArgument } from './route-helpers';

/**
 * Turns the `changes` of one REST push commit into a real git commit: the parent's files are
 * listed (`ls-tree -r`), the changes applied to that list, new contents written with
 * `hash-object -w`, the result loaded into a temporary index (`update-index --index-info`), and
 * `write-tree` + `commit-tree` make the commit. No ref moves here (the caller does that with an
 * old-value check).
 */

export type PushChange =
  | { changeType: 'add' | 'edit'; path: string; content: Buffer }
  | { changeType: 'delete'; path: string }
  | { changeType: 'rename'; path: string; sourcePath: string };

interface Entry {
  mode: string;
  objectId: string;
}

/** `/src/a.ts` → `src/a.ts`; refuses paths git or Azure DevOps would not store. */
function repoPath(p: string): string {
  const trimmed = p.replace(/^\/+/, '').replace(/\/+$/, '');
  const parts = trimmed.split('/');
  const bad =
    trimmed === '' ||
    /[\p{Cc}\\]/u.test(trimmed) ||
    parts.some((s) => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git');
  if (bad) throw invalidArgument(`The path '${p}' is not a valid path for an item in a Git repository.`);
  return trimmed;
}

export async function writePushCommit(
  gitDir: string,
  parent: string | undefined,
  comment: string,
  changes: PushChange[],
  who: Person,
): Promise<{ commitId: string; treeId: string }> {
  if (changes.length === 0) throw invalidArgument('Invalid argument value.\r\nParameter name: A commit must contain at least one change.');
  const tmp = await mkdtemp(path.join(tmpdir(), 'ado-sandbox-push-'));
  try {
    const env = { GIT_INDEX_FILE: path.join(tmp, 'index') };
    const files = parent ? await listTree(gitDir, parent) : new Map<string, Entry>();

    // New contents first, all with one hash-object.
    const contents: string[] = [];
    for (const [i, c] of changes.entries()) {
      if (c.changeType !== 'add' && c.changeType !== 'edit') continue;
      const file = path.join(tmp, `blob-${i}`);
      await writeFile(file, c.content);
      contents.push(file);
    }
    const blobIds = contents.length
      ? (await gitText(gitDir, ['hash-object', '-w', '--no-filters', '--stdin-paths'], { input: contents.join('\n') + '\n' })).trim().split('\n')
      : [];

    let nextBlob = 0;
    for (const c of changes) {
      const target = repoPath(c.path);
      const existing = files.get(target);
      if (c.changeType === 'add') {
        if (existing || [...files.keys()].some((f) => f.startsWith(`${target}/`))) {
          throw invalidArgument(`The path '${c.path}' specified in the add operation already exists. Please specify a new path.`);
        }
        files.set(target, { mode: '100644', objectId: blobIds[nextBlob++]! });
      } else if (c.changeType === 'edit') {
        if (!existing) throw invalidArgument(`The path '${c.path}' specified in the edit operation does not exist. Please specify a valid path.`);
        files.set(target, { mode: existing.mode, objectId: blobIds[nextBlob++]! });
      } else if (c.changeType === 'delete') {
        if (!existing) throw invalidArgument(`The path '${c.path}' specified in the delete operation does not exist. Please specify a valid path.`);
        files.delete(target);
      } else if (c.changeType === 'rename') {
        const source = repoPath(c.sourcePath);
        const moved = files.get(source);
        if (!moved) throw invalidArgument(`The path '${c.sourcePath}' specified in the rename operation does not exist. Please specify a valid path.`);
        if (existing) throw invalidArgument(`The path '${c.path}' specified in the rename operation already exists. Please specify a new path.`);
        files.delete(source);
        files.set(target, moved);
      }
    }
    const clash = [...files.keys()].find((f) => ancestors(f).some((dir) => files.has(dir)));
    if (clash) throw invalidArgument(`Invalid argument value.\r\nParameter name: '/${clash}' would be below a file of the same name as its folder.`);
    // The whole new tree goes into an empty index.
    const lines = [...files].map(([file, e]) => `${e.mode} ${e.objectId}\t${file}\0`);
    await gitText(gitDir, ['update-index', '-z', '--index-info'], { env, input: lines.join('') });
    const treeId = (await gitText(gitDir, ['write-tree'], { env })).trim();
    const commitId = await commitTree(gitDir, treeId, parent ? [parent] : [], comment, who);
    return { commitId, treeId };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function listTree(gitDir: string, commit: string): Promise<Map<string, Entry>> {
  const out = await gitText(gitDir, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const files = new Map<string, Entry>();
  for (const rec of out.split('\0')) {
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [mode, , objectId] = rec.slice(0, tab).split(' ');
    files.set(rec.slice(tab + 1), { mode: mode!, objectId: objectId! });
  }
  return files;
}

/** `a/b/c` → `a`, `a/b`. */
function ancestors(file: string): string[] {
  const parts = file.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
