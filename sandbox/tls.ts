import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A test CA and a server certificate for every sandbox host, made with the openssl CLI
 * (@peculiar/x509 would need a Reflect polyfill package) and cached under `{dataDir}/tls`.
 */
export interface TlsMaterial {
  caFile: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** base64 sha256 of the leaf's SubjectPublicKeyInfo (Chromium's --ignore-certificate-errors-spki-list). */
  spki: string;
}

interface CachedTls {
  names: string[];
  ips: string[];
  caPem: string;
  certPem: string;
  keyPem: string;
}

const DAY = 86_400_000;

export async function loadOrCreateTls(dataDir: string, dnsNames: string[], ips: string[]): Promise<TlsMaterial> {
  const dir = path.join(dataDir, 'tls');
  await mkdir(dir, { recursive: true });
  const cacheFile = path.join(dir, 'tls.json');
  const caFile = path.join(dir, 'ca.pem');
  let cached = await readCache(cacheFile);
  if (!cached || !sameList(cached.names, dnsNames) || !sameList(cached.ips, ips) || expiresSoon(cached.certPem)) {
    cached = await createTls(dnsNames, ips);
    await writeFile(cacheFile, JSON.stringify(cached), { mode: 0o600 });
  }
  await writeFile(caFile, cached.caPem);
  return { caFile, caPem: cached.caPem, certPem: cached.certPem, keyPem: cached.keyPem, spki: spkiPin(cached.certPem) };
}

export function spkiPin(certPem: string): string {
  const spkiDer = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spkiDer).digest('base64');
}

async function readCache(file: string): Promise<CachedTls | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as CachedTls;
  } catch {
    return undefined;
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function expiresSoon(certPem: string): boolean {
  return Date.parse(new X509Certificate(certPem).validTo) - Date.now() < 7 * DAY;
}

async function createTls(dnsNames: string[], ips: string[]): Promise<CachedTls> {
  const work = await mkdtemp(path.join(tmpdir(), 'ado-sandbox-tls-'));
  const f = (name: string) => path.join(work, name);
  const ecKey = ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  try {
    await openssl([...ecKey, '-out', f('ca.key')]);
    await openssl([
      'req', '-x509', '-new', '-key', f('ca.key'), '-sha256', '-days', '1095', '-subj',
      '/O=ado-sandbox/CN=Azure DevOps Sandbox Test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-out', f('ca.pem'),
    ]);
    await openssl([...ecKey, '-out', f('leaf.key')]);
    await openssl(['req', '-new', '-key', f('leaf.key'), '-subj', `/CN=${dnsNames[0] ?? 'localhost'}`, '-out', f('leaf.csr')]);
    const san = [...dnsNames.map((n) => `DNS:${n}`), ...ips.map((ip) => `IP:${ip}`)].join(',');
    await writeFile(
      f('leaf.ext'),
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
        `subjectAltName=${san}`,
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid',
      ].join('\n'),
    );
    await openssl([
      'x509', '-req', '-in', f('leaf.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial',
      '-days', '365', '-sha256', '-extfile', f('leaf.ext'), '-out', f('leaf.pem'),
    ]);
    const [caPem, certPem, keyPem] = await Promise.all(['ca.pem', 'leaf.pem', 'leaf.key'].map((n) => readFile(f(n), 'utf8')));
    return { names: dnsNames, ips, caPem: caPem!, certPem: certPem!, keyPem: keyPem! };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 20_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.trim() || e.message}`, { cause: err });
  }
}
