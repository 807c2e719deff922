import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { registerAll } from './api/index';
import { DEFAULT_APP, EntraApps } from './entra/apps';
import { EntraTokens } from './entra/tokens';
import { Faults } from './faults';
import { writeGitConfig } from './git-config';
import { GitRepos } from './git-repos';
import { readExtensionPackage, serveContribution } from './extension-host/server';
import { certificateDnsNames, hostResolverRules, MARKETPLACE_CDN_SUFFIX, sandboxHosts } from './hosts';
import { RequestLog } from './request-log';
import { Router } from './router';
import { LARGE_ORG, seedStore } from './seed';
import { sandboxFetch } from './sandbox-fetch';
import { createSandboxServer } from './server';
import type { Services } from './services';
import { Sessions } from './sessions';
import { startSshEndpoint, type SandboxSsh, type SshEndpointOptions } from './ssh/endpoint';
import { Store } from './store';
import { loadOrCreateTls } from './tls';

export interface SandboxOptions {
  /** 0 or absent: an ephemeral port. */
  port?: number;
  /** Where TLS material, the git object pool, repositories and the request log live. Default: a new temp dir, removed on close. */
  dataDir?: string;
  /** Adds the `northwind` organization with thousands of repositories. */
  large?: boolean;
  /** No request lines on stderr. */
  quiet?: boolean;
  /** The SSH endpoint (ssh.dev.azure.com stand-in, see README): on by default; `false` turns it off. */
  ssh?: boolean | SshEndpointOptions;
  /**
   * An Azure DevOps extension installed in these organizations (names): the built `.vsix` (or the
   * folder it was packed from, `dist/ado-extension/`) is read
   * as Azure DevOps reads it, its files are served from its publisher's Marketplace CDN host name
   * (`{publisher}.gallerycdn.vsassets.io`, in `hostResolverRules`), and its menu items show in
   * those organizations' pages (sandbox/web/views/extension-menus.ts).
   */
  adoExtension?: { path: string; organizations: string[] };
}

export interface Sandbox {
  /** `https://dev.azure.com` (reach it through hostResolverRules / gitConfig / sandbox.fetch). */
  url: string;
  port: number;
  /** PEM file of the test CA; `caPem` is its text. */
  caFile: string;
  caPem: string;
  /** base64 sha256 of the leaf certificate's SubjectPublicKeyInfo (`--ignore-certificate-errors-spki-list`). */
  spki: string;
  /** The server certificate (every sandbox host name) and its key, for a stand-in server of a test's own. */
  leaf: { certPem: string; keyPem: string };
  /** A git config file for `GIT_CONFIG_GLOBAL` (host mapping + CA; no credentials). */
  gitConfig: string;
  /** Ada's full-scope PATs: `{fabrikam, contoso}`. */
  pats: Record<string, string>;
  /** Every seeded PAT by its documented name (see sandbox/README.md). */
  patsByName: Record<string, string>;
  /** The Entra app registration (client id) the sandbox accepts by default. */
  entraClientId: string;
  /** Chromium `--host-resolver-rules` value. */
  hostResolverRules: string;
  /** Every host name the sandbox answers for. */
  hosts: string[];
  store: Store;
  services: Services;
  router: Router;
  dataDir: string;
  /** `{dataDir}/requests.jsonl` */
  logFile: string;
  /** fetch() that reaches the sandbox for sandbox hosts (with the test CA) and behaves like global fetch. */
  fetch: typeof fetch;
  /** The SSH endpoint; undefined with `ssh: false`. */
  ssh?: SandboxSsh;
  /** With `adoExtension`: the origin its files are served from (the Marketplace CDN's, mapped to the sandbox). */
  extensionOrigin?: string;
  close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const ownsDataDir = !opts.dataDir;
  const dataDir = path.resolve(opts.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'ado-sandbox-'))));
  await mkdir(dataDir, { recursive: true });
  try {
    // State other than TLS material and the seed object pool starts fresh on every start.
    const reposRoot = path.join(dataDir, 'repos');
    await rm(reposRoot, { recursive: true, force: true });
    await mkdir(reposRoot, { recursive: true });

    const store = new Store();
    const seed = seedStore(store, reposRoot, { large: opts.large });
    const git = new GitRepos(reposRoot, dataDir);
    const [tls] = await Promise.all([loadOrCreateTls(dataDir, certificateDnsNames(), ['127.0.0.1']), git.importHistories(seed.histories)]);
    // Seeded organizations get their repositories now; the large one creates them on first use.
    const lazyOrg = store.organization(LARGE_ORG.name)?.id;
    await Promise.all([...store.repositories.values()].filter((r) => r.orgId !== lazyOrg).map((r) => git.ensure(r)));

    const services: Services = {
      store,
      git,
      sessions: new Sessions(),
      entra: { apps: new EntraApps(), tokens: new EntraTokens(), sessions: new Sessions() },
      faults: new Faults(),
      log: new RequestLog(path.join(dataDir, 'requests.jsonl')),
      dataDir,
    };
    const router = new Router();
    registerAll(router);
    const server = createSandboxServer({ services, router, tls, quiet: !!opts.quiet });
    const port = await listen(server, opts.port ?? 0);
    const ssh = opts.ssh === false ? undefined : await startSshEndpoint(services, { ...(typeof opts.ssh === 'object' ? opts.ssh : {}), quiet: !!opts.quiet });
    const cdn = opts.adoExtension ? await installExtension(store, opts.adoExtension, tls) : undefined;

    const cloudOrgs = [...store.organizations.values()].filter((o) => o.hosting === 'cloud').map((o) => o.name);
    const gitConfig = path.join(dataDir, 'gitconfig');
    await writeGitConfig(gitConfig, port, tls.caFile, cloudOrgs);

    return {
      url: 'https://dev.azure.com',
      port,
      caFile: tls.caFile,
      caPem: tls.caPem,
      spki: tls.spki,
      leaf: { certPem: tls.certPem, keyPem: tls.keyPem },
      gitConfig,
      pats: seed.pats,
      patsByName: seed.patsByName,
      entraClientId: DEFAULT_APP.clientId,
      hostResolverRules: cdn ? `MAP ${cdn.host} 127.0.0.1:${cdn.port}, ${hostResolverRules(port)}` : hostResolverRules(port),
      hosts: sandboxHosts(cloudOrgs),
      store,
      services,
      router,
      dataDir,
      logFile: services.log.file,
      fetch: sandboxFetch(port, tls.caPem, sandboxHosts(cloudOrgs)),
      ssh: ssh?.info,
      extensionOrigin: cdn && `https://${cdn.host}`,
      close: async () => {
        await Promise.all([closeServer(server), ssh?.close(), cdn && closeServer(cdn.server)]);
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Reads the .vsix, serves its files on their own port (the CDN's host name) and installs it in the organizations named. */
async function installExtension(store: Store, opts: NonNullable<SandboxOptions['adoExtension']>, tls: { certPem: string; keyPem: string }) {
  const pkg = await readExtensionPackage(opts.path);
  const host = `${pkg.extension.publisherId.toLowerCase()}.${MARKETPLACE_CDN_SUFFIX}`;
  const { server } = await serveContribution(pkg, '127.0.0.1', { cert: tls.certPem, key: tls.keyPem });
  for (const name of opts.organizations) {
    const org = store.organization(name);
    if (!org) throw new Error(`adoExtension: no organization ${name}`);
    store.extensions.set(org.id, { ...pkg.extension, baseUrl: `https://${host}/` });
  }
  return { host, port: (server.address() as AddressInfo).port, server };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: { close(done: () => void): unknown; closeAllConnections(): void }): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
