// The Azure DevOps extension (ado-extension/): bundles its contributions with esbuild and writes
// the .vsix. A .vsix is an OPC zip: [Content_Types].xml, extension.vsixmanifest (the Marketplace's
// package manifest, XML) and extension.vsomanifest (the contributions, JSON), plus the files. We
// write it ourselves with fflate instead of running tfx-cli: tfx pulls in hundreds of packages for
// a few hundred lines of output, and this way the package is byte-for-byte reproducible.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { zipSync } from 'fflate';

const root = new URL('..', import.meta.url).pathname;
const source = join(root, 'ado-extension');

const xml = (s) => String(s).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

const CONTENT_TYPES = {
  '.html': 'text/html',
  '.js': 'application/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.json': 'application/json',
  '.md': 'text/markdown',
  '.vsixmanifest': 'text/xml',
  '.vsomanifest': 'application/json',
};

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * vss-extension.json's `content` (as tfx reads it): `details` is the overview page the Marketplace
 * requires, `Microsoft.VisualStudio.Services.Content.Details`.
 */
function contentFiles(m) {
  return Object.entries(m.content ?? {}).map(([kind, { path }]) => ({ type: `Microsoft.VisualStudio.Services.Content.${kind[0].toUpperCase()}${kind.slice(1)}`, path }));
}

/** The package manifest the Marketplace and Azure DevOps Server read to list and install it. */
function vsixManifest(m, addressable) {
  const assets = [
    `<Asset Type="Microsoft.VisualStudio.Services.Manifest" d:Source="File" Path="extension.vsomanifest" Addressable="true" />`,
    `<Asset Type="Microsoft.VisualStudio.Services.Icons.Default" d:Source="File" Path="${xml(m.icons.default)}" Addressable="true" />`,
    ...contentFiles(m).map(({ type, path }) => `<Asset Type="${xml(type)}" d:Source="File" Path="${xml(path)}" Addressable="true" />`),
    ...addressable.map((p) => `<Asset Type="${xml(p)}" d:Source="File" Path="${xml(p)}" Addressable="true" />`),
  ];
  return `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
  <Metadata>
    <Identity Language="en-US" Id="${xml(m.id)}" Version="${xml(m.version)}" Publisher="${xml(m.publisher)}" />
    <DisplayName>${xml(m.name)}</DisplayName>
    <Description xml:space="preserve">${xml(m.description)}</Description>
    <Categories>${xml(m.categories.join(','))}</Categories>
    <Tags>${xml(m.tags.join(','))}</Tags>
    <GalleryFlags>${m.public ? 'Public' : 'Private'}</GalleryFlags>
    <Icon>${xml(m.icons.default)}</Icon>
  </Metadata>
  <Installation>
${m.targets.map((t) => `    <InstallationTarget Id="${xml(t.id)}" />`).join('\n')}
  </Installation>
  <Dependencies />
  <Assets>
${assets.map((a) => `    ${a}`).join('\n')}
  </Assets>
</PackageManifest>
`;
}

/** Builds `outDir/ado-extension/` (the unpacked package) and `outDir/azure-devops-companion.vsix`. */
export async function buildAdoExtension(outDir) {
  const manifest = JSON.parse(readFileSync(join(source, 'vss-extension.json'), 'utf8'));
  const stage = join(outDir, 'ado-extension');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  await build({
    entryPoints: ['action', 'dialog'].map((n) => join(source, 'src', `${n}.ts`)),
    outdir: stage,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const name of ['action.html', 'dialog.html', 'dialog.css', 'img']) cpSync(join(source, name), join(stage, name), { recursive: true });
  for (const { path } of contentFiles(manifest)) cpSync(join(source, path), join(stage, path));

  const files = filesUnder(stage).map((f) => relative(stage, f).split('\\').join('/')).toSorted();
  const declared = manifest.files.flatMap((f) => files.filter((p) => p === f.path || p.startsWith(`${f.path}/`)).map((p) => ({ p, addressable: !!f.addressable })));
  const missing = manifest.files.filter((f) => !files.some((p) => p === f.path || p.startsWith(`${f.path}/`)));
  if (missing.length) throw new Error(`vss-extension.json names files the build did not make: ${missing.map((f) => f.path).join(', ')}`);

  const { files: _files, icons: _icons, ...rest } = manifest;
  const vso = { manifestVersion: 1, scopes: rest.scopes, contributions: rest.contributions, contributionTypes: rest.contributionTypes ?? [] };
  const entries = {
    'extension.vsixmanifest': Buffer.from(vsixManifest(manifest, declared.filter((d) => d.addressable).map((d) => d.p))),
    'extension.vsomanifest': Buffer.from(JSON.stringify(vso, null, 2)),
  };
  for (const { p } of declared) entries[p] = readFileSync(join(stage, p));
  for (const { path } of contentFiles(manifest)) entries[path] = readFileSync(join(stage, path));
  // The unpacked package holds the same manifests, so it can be read like the .vsix (the sandbox does).
  writeFileSync(join(stage, 'extension.vsixmanifest'), entries['extension.vsixmanifest']);
  writeFileSync(join(stage, 'extension.vsomanifest'), entries['extension.vsomanifest']);
  const extensions = [...new Set(Object.keys(entries).map((p) => extname(p)))].toSorted();
  const unknown = extensions.filter((e) => !CONTENT_TYPES[e]);
  if (unknown.length) throw new Error(`no content type for ${unknown.join(', ')}`);
  entries['[Content_Types].xml'] = Buffer.from(
    `<?xml version="1.0" encoding="utf-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${extensions
      .map((e) => `<Default Extension="${e}" ContentType="${CONTENT_TYPES[e]}" />`)
      .join('')}</Types>\n`,
  );
  const vsix = join(outDir, 'azure-devops-companion.vsix');
  writeFileSync(vsix, zipSync(entries, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') }));
  return { vsix, dir: stage };
}
