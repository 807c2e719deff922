import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { build } from 'esbuild';
import { strFromU8, unzipSync } from 'fflate';
import type { Contribution, HostPage } from './xdm-host';

/**
 * The sandbox's extension hosting: reads a built .vsix as Azure DevOps does, serves its files from
 * their own origin (standing in for the Marketplace CDN) and a page on another origin that draws
 * the contributed menu items and speaks the host side of the SDK (xdm-host.ts).
 */

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.json': 'application/json' };

const listen = (server: Server, host: string) =>
  new Promise<string>((resolve) => server.listen(0, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`)));

export interface ExtensionHost {
  /** The page's URL (its origin is the "Azure DevOps" one). */
  pageUrl: string;
  /** The origin the contribution is served from. */
  contributionOrigin: string;
  close(): Promise<void>;
}

export interface Menu {
  target: string;
  label: string;
  context: unknown;
}

export async function startExtensionHost(vsix: Uint8Array, page: HostPage, menus: Menu[]): Promise<ExtensionHost> {
  const files = unzipSync(vsix);
  const vsixManifest = strFromU8(files['extension.vsixmanifest']!);
  const identity = /<Identity [^>]*Id="([^"]+)" Version="([^"]+)" Publisher="([^"]+)"/.exec(vsixManifest);
  if (!identity) throw new Error('The .vsix has no identity');
  const { contributions } = JSON.parse(strFromU8(files['extension.vsomanifest']!)) as { contributions: Contribution[] };

  // Only the files the package marks addressable are served, as the CDN does.
  const addressable = new Set([...vsixManifest.matchAll(/Path="([^"]+)" Addressable="true"/g)].map((m) => m[1]!));
  const cdn = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    const body = addressable.has(path) ? files[path] : undefined;
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
  });
  // localhost and 127.0.0.1 are different origins: the contribution is cross-origin to the page.
  const contributionOrigin = await listen(cdn, 'localhost');

  const script = (await build({ entryPoints: [join(import.meta.dirname, 'page.ts')], bundle: true, format: 'esm', write: false, logLevel: 'warning' })).outputFiles[0]!.text;
  const config = JSON.stringify({
    extension: { baseUrl: `${contributionOrigin}/`, extensionId: identity[1], version: identity[2], publisherId: identity[3], contributions },
    page,
    menus,
  }).replace(/</g, '\\u003c');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${page.project} - Sandbox Azure DevOps</title></head><body><div id="menus"></div><script type="application/json" id="extension-host-config">${config}</script><script type="module" src="/host.js"></script></body></html>`;
  const site = createServer((req, res) => {
    if (req.url === '/host.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  const pageUrl = `${await listen(site, '127.0.0.1')}/${encodeURIComponent(page.organization)}/${encodeURIComponent(page.project)}/_git/site/branches`;
  return {
    pageUrl,
    contributionOrigin,
    close: async () => {
      await Promise.all([cdn, site].map((s) => new Promise((r) => s.close(r))));
    },
  };
}
