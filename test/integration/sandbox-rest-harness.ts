import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Sandbox } from '../../sandbox/index';
import { gitEnvFor, patAuthorization } from '../../sandbox/testing';

/**
 * Helpers for the sandbox REST tests: JSON calls with a PAT or a bearer token, and real git
 * against the sandbox. git always runs asynchronously: the sandbox lives in this process, and a
 * synchronous child would block the very server it talks to.
 */

export const ZERO = '0'.repeat(40);

export interface Answer<T = Json> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

// Answers are free-form JSON read field by field in assertions.
// oxlint-disable-next-line typescript/no-explicit-any
export type Json = any;

export type Credential = { pat: string } | { bearer: string } | { none: true };

export function restClient(sandbox: Sandbox, cred: Credential) {
  const authorization = 'pat' in cred ? patAuthorization(cred.pat) : 'bearer' in cred ? `Bearer ${cred.bearer}` : undefined;
  return async function call<T = Json>(method: string, url: string, body?: unknown): Promise<Answer<T>> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-tfs-fedauthredirect': 'Suppress' };
    if (authorization) headers.authorization = authorization;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await sandbox.fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  };
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** git with the sandbox's config, its CA (overriding any GIT_SSL_CAINFO of this machine) and, if given, a PAT header. */
export function runGit(sandbox: Sandbox, args: string[], opts: { cwd?: string; pat?: string; gitDir?: string } = {}): Promise<GitResult> {
  const env = gitEnvFor(sandbox, {
    pat: opts.pat,
    extra: { GIT_SSL_CAINFO: sandbox.caFile, ...(opts.gitDir ? { GIT_DIR: opts.gitDir } : {}) },
  });
  return new Promise((resolve) => {
    execFile('git', args, { cwd: opts.cwd, env, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Like runGit, but a failure throws with git's own message. */
export async function git(sandbox: Sandbox, args: string[], opts: { cwd?: string; pat?: string; gitDir?: string } = {}): Promise<string> {
  const r = await runGit(sandbox, args, opts);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A push body adding files (raw text) on top of `oldObjectId`. */
export function addFiles(ref: string, oldObjectId: string, files: Record<string, string>, comment = 'Add files'): Json {
  return {
    refUpdates: [{ name: ref, oldObjectId }],
    commits: [
      {
        comment,
        changes: Object.entries(files).map(([p, content]) => ({ changeType: 'add', item: { path: p }, newContent: { content, contentType: 'rawtext' } })),
      },
    ],
  };
}
