/**
 * One side of the API benchmark, in a process of its own so each starts cold (new connections,
 * no cache) and trusts the sandbox CA through NODE_EXTRA_CA_CERTS. bench/api.ts bundles it and runs
 *   node api-child.cjs ours|peer|peer-per-project|bare-fetch|bare-fetch-zod
 * with ADO_BENCH_PORT, ADO_BENCH_ORG_URL and ADO_BENCH_PAT in the environment (the PAT never in
 * argv). Prints one JSON line: `{ ms, repositories }`, ms from creating the client to having
 * every repository as objects (answers parsed and checked the way each library does it).
 */
import { routeSandboxHostsTo } from './route-to-sandbox';

export type ApiSide = 'ours' | 'peer' | 'peer-per-project' | 'bare-fetch' | 'bare-fetch-zod';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

async function ours(orgUrl: string, pat: string): Promise<number> {
  const { createAdoClient, basicAuthHeader } = await import('../src/shared/ado/client');
  // As in the extension's worker (src/background/index.ts): no `new Function` under an extension CSP.
  const { z } = await import('zod');
  z.config({ jitless: true });
  const client = createAdoClient({ orgBaseUrl: orgUrl, auth: () => Promise.resolve(basicAuthHeader(pat)) });
  return (await client.repositories()).length;
}

/** What the library's README shows: a WebApi with a PAT handler, then the Git client. */
async function peerConnection(orgUrl: string, pat: string) {
  const azdev = await import('azure-devops-node-api');
  return new azdev.WebApi(orgUrl, azdev.getPersonalAccessTokenHandler(pat));
}

/** The library's org-wide call: `getRepositories()` without a project. */
async function peer(orgUrl: string, pat: string): Promise<number> {
  const git = await (await peerConnection(orgUrl, pat)).getGitApi();
  return (await git.getRepositories()).length;
}

/** The per-project walk many scripts do: every page of projects, then each project's repositories in turn. */
async function peerPerProject(orgUrl: string, pat: string): Promise<number> {
  const connection = await peerConnection(orgUrl, pat);
  const core = await connection.getCoreApi();
  const git = await connection.getGitApi();
  // The library never fills `continuationToken` on the list it returns (microsoft/azure-devops-node-api#646),
  // so paging is by $top/$skip until a short page.
  const projects: { id?: string }[] = [];
  const top = 100;
  for (let page = await core.getProjects(undefined, top, 0); ; page = await core.getProjects(undefined, top, projects.length)) {
    projects.push(...page);
    if (page.length < top) break;
  }
  let count = 0;
  for (const p of projects) count += (await git.getRepositories(p.id)).length;
  return count;
}

/** The floor for a fetch-based client: one fetch, JSON.parse, nothing checked. */
async function bareFetch(orgUrl: string, pat: string): Promise<number> {
  const res = await fetch(`${orgUrl}/_apis/git/repositories?api-version=7.1`, { headers: { authorization: `Basic ${Buffer.from(`:${pat}`).toString('base64')}` } });
  if (!res.ok) throw new Error(`bare fetch: HTTP ${res.status}`);
  return ((await res.json()) as { value: unknown[] }).value.length;
}

/** A bare fetch + JSON.parse, then every repository through the zod schema (jitless): what our client checked before quick-check.ts. */
async function bareFetchZod(orgUrl: string, pat: string): Promise<number> {
  const { listOf, Repository } = await import('../src/shared/ado/schemas');
  const { z } = await import('zod');
  z.config({ jitless: true });
  const res = await fetch(`${orgUrl}/_apis/git/repositories?api-version=7.1`, { headers: { authorization: `Basic ${Buffer.from(`:${pat}`).toString('base64')}` } });
  if (!res.ok) throw new Error(`bare fetch: HTTP ${res.status}`);
  return listOf(Repository).parse(await res.json()).length;
}

async function main(): Promise<void> {
  const side = process.argv[2] as ApiSide;
  const run = { ours, peer, 'peer-per-project': peerPerProject, 'bare-fetch': bareFetch, 'bare-fetch-zod': bareFetchZod }[side];
  if (!run) throw new Error(`usage: api-child.ts ours|peer|peer-per-project|bare-fetch|bare-fetch-zod (got ${String(side)})`);
  routeSandboxHostsTo(Number(env('ADO_BENCH_PORT')));
  const orgUrl = env('ADO_BENCH_ORG_URL');
  const pat = env('ADO_BENCH_PAT');
  // Load the libraries before the clock starts: module loading is not what is compared.
  await Promise.all([import('../src/shared/ado/client'), import('azure-devops-node-api')]);
  const start = performance.now();
  const repositories = await run(orgUrl, pat);
  const ms = performance.now() - start;
  process.stdout.write(JSON.stringify({ ms, repositories }) + '\n');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
