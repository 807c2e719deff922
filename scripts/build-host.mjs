// Builds the companion host: one ESM bundle (dist/host/ado-companion-host.mjs) plus launchers that
// browsers can start (a .sh for Linux and macOS, a .cmd for Windows) naming node and the bundle by
// absolute path. `install` writes its own launchers next to an installed copy; these let a
// checkout be registered by hand and tried out directly.
//
// Start-up time (a browser starts the host for every connection) is mostly Node's own start plus
// evaluating zod and the schemas built with it, not reading the file: minifying was measured to
// save under 5 % of the host's share, so the bundle stays readable, and so do stack traces in the
// log. What helps is bundling less zod: esbuild cannot tree-shake a namespace that is re-exported
// as a binding (`import { z } from 'zod'` keeps all of zod, every locale included, ~750 KB), while
// `import * as z from 'zod'` keeps only what is used. main.ts imports each mode's code
// dynamically so it is evaluated only when needed; without `splitting` esbuild keeps those parts in
// the one file, which is all the installer copies.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { zodWithoutJsonSchemaEsbuild } from './zod-without-json-schema.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const shQuote = (value) => `'${value.replace(/'/g, `'\\''`)}'`;
const cmdQuote = (value) => `"${value.replace(/%/g, '%%')}"`;

/** @param {string} [outDir] @returns {Promise<{ bundle: string, launchers: string[] }>} */
export async function buildHost(outDir = join(root, 'dist', 'host')) {
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const bundle = join(out, 'ado-companion-host.mjs');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  await build({
    entryPoints: [join(root, 'src', 'host', 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    define: { ADO_COMPANION_BUILD_VERSION: JSON.stringify(version) },
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [zodWithoutJsonSchemaEsbuild()],
  });
  chmodSync(bundle, 0o755);
  const sh = join(out, 'ado-companion-host.sh');
  writeFileSync(sh, `#!/bin/sh\nexec ${shQuote(process.execPath)} ${shQuote(bundle)} "$@"\n`);
  chmodSync(sh, 0o755);
  const cmd = join(out, 'ado-companion-host.cmd');
  writeFileSync(cmd, `@echo off\r\n${cmdQuote(process.execPath)} ${cmdQuote(bundle)} %*\r\n`);
  return { bundle, launchers: [sh, cmd] };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { bundle } = await buildHost(process.argv[2]);
  console.log(`built ${bundle}`);
}
