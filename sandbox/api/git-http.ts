import { spawn } from 'node:child_process';
import { createGunzip } from 'node:zlib';
import { authorize } from '../auth';
import type { RequestContext } from '../context';
import { gitEnv } from '../git-exec';
import { syncPullRequestRefs } from './pull-request-git';
import type { Router } from '../router';
import type { Repository } from '../store';

/**
 * git over HTTPS (smart protocol only, like Azure DevOps), served by `git http-backend` as a
 * CGI program. URLs: `/{project}/_git/{repo}/...` and `/_git/{repo}/...` in every host form.
 * Same credentials as the REST API; fetch needs `vso.code`, push `vso.code_write`.
 */
export function registerGitHttp(router: Router): void {
  for (const prefix of ['/{project}/_git/{repo}', '/_git/{repo}']) {
    router.get('collection', `${prefix}/info/refs`, (ctx) => serve(ctx, 'info/refs'), { auth: 'git', scope: 'vso.code' });
    router.post('collection', `${prefix}/git-upload-pack`, (ctx) => serve(ctx, 'git-upload-pack'), { auth: 'git', scope: 'vso.code' });
    router.post('collection', `${prefix}/git-receive-pack`, (ctx) => serve(ctx, 'git-receive-pack'), { auth: 'git', scope: 'vso.code_write' });
  }
}

async function serve(ctx: RequestContext, action: 'info/refs' | 'git-upload-pack' | 'git-receive-pack'): Promise<void> {
  const service = action === 'info/refs' ? ctx.query.get('service') : action;
  if (service !== 'git-upload-pack' && service !== 'git-receive-pack') {
    // Azure DevOps speaks only the smart protocol.
    ctx.send(403, 'Dumb HTTP transport is not supported; use a git client with smart HTTP.\n', { 'content-type': 'text/plain' });
    return;
  }
  let repo: Repository;
  try {
    repo = ctx.repository();
  } catch {
    ctx.send(404, `TF401019: The Git repository with name or identifier ${ctx.params.repo} does not exist or you do not have permissions for the operation you are attempting.\n`, { 'content-type': 'text/plain' });
    return;
  }
  if (service === 'git-receive-pack' && ctx.principal) {
    const denied = authorize(ctx.principal, ctx.org, 'vso.code_write');
    if (denied) {
      ctx.send(denied.status, `${denied.message}\n`, { 'content-type': 'text/plain' });
      return;
    }
  }
  if (repo.isDisabled) {
    refuseDisabled(ctx, repo, service, action === 'info/refs');
    return;
  }
  await ctx.git.ensure(repo);
  // Before the refs are read (the advertisement; protocol v2 lists them in the next request).
  if (service === 'git-upload-pack' && action === 'info/refs') await syncPullRequestRefs(ctx.store, ctx.git, repo);
  await runBackend(ctx, repo, action, service === 'git-receive-pack' && action !== 'info/refs');
}

/** Disabled repositories refuse git with a message git shows to the user (`remote error: ...`). */
function refuseDisabled(ctx: RequestContext, repo: Repository, service: string, advertisement: boolean): void {
  const message = `TF401019: The Git repository '${repo.name}' is disabled. An administrator must enable it (Project settings > Repositories) before it can be used.`;
  if (!advertisement) {
    ctx.send(403, `${message}\n`, { 'content-type': 'text/plain' });
    return;
  }
  const body = pkt(`# service=${service}\n`) + '0000' + pkt(`ERR ${message}`);
  ctx.send(200, body, { 'content-type': `application/x-${service}-advertisement`, 'cache-control': 'no-cache' });
}

function pkt(line: string): string {
  return (Buffer.byteLength(line) + 4).toString(16).padStart(4, '0') + line;
}

function runBackend(ctx: RequestContext, repo: Repository, action: string, isPush: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const env = gitEnv({
      GIT_PROJECT_ROOT: ctx.git.root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: `${ctx.git.projectPath(repo)}/${action}`,
      REMOTE_USER: ctx.principal?.user.mail ?? 'anonymous',
      REMOTE_ADDR: '127.0.0.1',
      REQUEST_METHOD: ctx.method,
      QUERY_STRING: ctx.url.search.replace(/^\?/, ''),
      CONTENT_TYPE: String(ctx.req.headers['content-type'] ?? ''),
      ...(ctx.req.headers['git-protocol'] ? { GIT_PROTOCOL: String(ctx.req.headers['git-protocol']) } : {}),
    });
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.stdin.on('error', () => {});
    // The body goes to git already inflated, so git never sees Content-Encoding / Content-Length.
    const gz = /gzip/i.test(String(ctx.req.headers['content-encoding'] ?? ''));
    (gz ? ctx.req.pipe(createGunzip()) : ctx.req).pipe(child.stdin);

    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        ctx.res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const parsed = parseCgiHead(head);
      if (!parsed) return;
      headersDone = true;
      ctx.res.writeHead(parsed.status, parsed.headers);
      if (parsed.rest.length) ctx.res.write(parsed.rest);
    });
    child.on('close', (code) => {
      void (async () => {
        if (!headersDone) {
          ctx.send(500, `git http-backend failed: ${stderr.trim() || `exit ${code}`}\n`, { 'content-type': 'text/plain' });
          return resolve();
        }
        if (isPush && code === 0) await ctx.git.afterPush(repo);
        ctx.res.end();
        resolve();
      })().catch(reject);
    });
  });
}

/** Splits CGI output into status, headers and the start of the body, once the blank line arrived. */
function parseCgiHead(buf: Buffer): { status: number; headers: Record<string, string>; rest: Buffer } | undefined {
  let end = buf.indexOf('\r\n\r\n');
  let sepLen = 4;
  const lf = buf.indexOf('\n\n');
  if (lf >= 0 && (end < 0 || lf < end)) {
    end = lf;
    sepLen = 2;
  }
  if (end < 0) return undefined;
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of buf.subarray(0, end).toString('latin1').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (name === 'status') status = Number.parseInt(value, 10) || 200;
    else headers[name] = value;
  }
  return { status, headers, rest: buf.subarray(end + sepLen) };
}
