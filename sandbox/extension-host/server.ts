import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Contribution, HostedExtension } from './xdm-host';

/**
 * The sandbox's extension hosting, server side: reads a built .vsix as Azure DevOps does and serves
 * its files from their own origin (standing in for the Marketplace CDN). The pages draw the
 * contributed menu items (web/views/extension-menus.ts) and speak the host side of the SDK
 * (xdm-host.ts, run by the page script).
 */

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.json': 'application/json' };

const listen = (server: Server, host: string) =>
  new Promise<string>((resolve) => server.listen(0, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`)));

export interface ExtensionPackage {
  files: Record<string, Uint8Array>;
  extension: Omit<HostedExtension, 'baseUrl'>;
  /** The files the package marks addressable: the only ones the CDN serves. */
  addressable: Set<string>;
}

/** Reads a .vsix as Azure DevOps does: its identity, its contributions and its addressable files. */
function readVsix(vsix: Uint8Array): ExtensionPackage {
  return readPackageFiles(unzipSync(vsix));
}

/** Reads a built package: the .vsix, or the folder it was packed from (`dist/ado-extension/`). */
export async function readExtensionPackage(path: string): Promise<ExtensionPackage> {
  if (!(await stat(path)).isDirectory()) return readVsix(await readFile(path));
  const names = (await readdir(path, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => relative(path, join(e.parentPath, e.name)).split(sep).join('/'));
  return readPackageFiles(Object.fromEntries(await Promise.all(names.map(async (n) => [n, new Uint8Array(await readFile(join(path, n)))] as const))));
}

function readPackageFiles(files: Record<string, Uint8Array>): ExtensionPackage {
  if (!files['extension.vsixmanifest'] || !files['extension.vsomanifest']) throw new Error('Not an extension package: no extension.vsixmanifest and extension.vsomanifest');
  const vsixManifest = strFromU8(files['extension.vsixmanifest']!);
  const identity = /<Identity [^>]*Id="([^"]+)" Version="([^"]+)" Publisher="([^"]+)"/.exec(vsixManifest);
  if (!identity) throw new Error('The .vsix has no identity');
  const { contributions } = JSON.parse(strFromU8(files['extension.vsomanifest']!)) as { contributions: Contribution[] };
  const addressable = new Set([...vsixManifest.matchAll(/Path="([^"]+)" Addressable="true"/g)].map((m) => m[1]!));
  return { files, addressable, extension: { extensionId: identity[1]!, version: identity[2]!, publisherId: identity[3]!, contributions } };
}

/** Serves a package's addressable files, over HTTPS when given a certificate (for the CDN's own name). */
export async function serveContribution(pkg: ExtensionPackage, host: string, tls?: { cert: string; key: string }): Promise<{ origin: string; server: Server }> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    const body = pkg.addressable.has(path) ? pkg.files[path] : undefined;
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
  };
  const server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  const origin = await listen(server, host);
  return { origin: tls ? origin.replace(/^http:/, 'https:') : origin, server };
}
