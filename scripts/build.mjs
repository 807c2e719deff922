// `npm run build`: the extension for each browser, the companion host, store-ready zips, the
// companion's npm package and its single executable for this machine (scripts/build-companion.mjs).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';
import { build } from 'vite';
import { buildCompanion } from './build-companion.mjs';
import { buildAdoExtension } from './build-ado-extension.mjs';
import { buildHost } from './build-host.mjs';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Zips a build; `editManifest` lets the store copy differ from the unpacked one. */
function zip(dir, out, editManifest = (m) => m) {
  const entries = {};
  for (const file of filesUnder(dir)) {
    const name = relative(dir, file).split('\\').join('/');
    entries[name] =
      name === 'manifest.json'
        ? Buffer.from(JSON.stringify(editManifest(JSON.parse(readFileSync(file, 'utf8'))), null, 2))
        : readFileSync(file);
  }
  writeFileSync(out, zipSync(entries, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') }));
}

for (const browser of ['chrome', 'firefox']) {
  process.env.TARGET_BROWSER = browser;
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
}
const { bundle } = await buildHost(join(dist, 'host'));

// The development `key` pins the unpacked id; the Chrome Web Store assigns its own and refuses it.
zip(join(dist, 'chrome'), join(dist, `azure-devops-companion-chrome-${version}.zip`), ({ key: _key, ...rest }) => rest);
zip(join(dist, 'firefox'), join(dist, `azure-devops-companion-firefox-${version}.zip`));
for (const zipFile of readdirSync(dist).filter((f) => f.endsWith('.zip'))) console.log(`built dist/${zipFile}`);
if (!existsSync(join(dist, 'host', 'ado-companion-host.mjs'))) throw new Error('host bundle missing');
for (const file of await buildCompanion({ bundle, outDir: dist })) console.log(`built ${relative(root, file)}`);
const { vsix } = await buildAdoExtension(dist);
console.log(`built ${relative(root, vsix)}`);
