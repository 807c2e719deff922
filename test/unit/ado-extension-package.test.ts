import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript
import { buildAdoExtension } from '../../scripts/build-ado-extension.mjs';
import { readExtensionPackage } from '../../sandbox/extension-host/server';
import { ADO_EXTENSION_PUBLISHER } from '../../src/shared/ado-extension';

// The .vsix that `npm run build` writes, built into a temporary folder and unpacked as Azure
// DevOps would: its manifests, its targets and scopes, and that each contribution's page loads
// only files inside the package (the CDN serves nothing else, and nothing from elsewhere runs).

let out: string;
let files: Record<string, Uint8Array>;
const text = (name: string) => strFromU8(files[name]!);
interface Contribution {
  id: string;
  type: string;
  targets?: string[];
  properties: Record<string, string>;
}
let vso: { scopes: string[]; contributions: Contribution[] };
let vsixPath: string;
let unpacked: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'adoc-vsix-'));
  const { vsix, dir } = (await buildAdoExtension(out)) as { vsix: string; dir: string };
  [vsixPath, unpacked] = [vsix, dir];
  files = unzipSync(readFileSync(vsix));
  vso = JSON.parse(text('extension.vsomanifest'));
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the Azure DevOps extension package', () => {
  it('is an OPC package with a content type for every file', () => {
    const types = text('[Content_Types].xml');
    for (const name of Object.keys(files).filter((n) => n !== '[Content_Types].xml')) {
      expect(types, name).toContain(`Extension="${posix.extname(name)}"`);
    }
  });

  it("names our publisher, the Services target, and each addressable file", () => {
    const manifest = text('extension.vsixmanifest');
    expect(manifest).toContain(`Publisher="${ADO_EXTENSION_PUBLISHER}"`);
    expect(manifest).toContain('<InstallationTarget Id="Microsoft.VisualStudio.Services" />');
    for (const name of ['action.html', 'action.js', 'dialog.html', 'dialog.js', 'dialog.css', 'img/icon-16.png', 'img/logo.png']) {
      expect(files[name], name).toBeDefined();
      expect(manifest).toContain(`Path="${name}" Addressable="true"`);
    }
  });

  it('carries the overview page the Marketplace requires (content.details)', () => {
    const manifest = text('extension.vsixmanifest');
    expect(manifest).toContain('<Asset Type="Microsoft.VisualStudio.Services.Content.Details" d:Source="File" Path="overview.md" Addressable="true" />');
    expect(text('[Content_Types].xml')).toContain('<Default Extension=".md" ContentType="text/markdown" />');
    expect(text('overview.md')).toMatch(/^# Azure DevOps Companion\n/);
    expect(text('overview.md')).toContain('Azure DevOps Companion browser extension');
  });

  it('asks for no scope: everything comes from the menu, the browser extension does the REST calls', () => {
    expect(vso.scopes).toEqual([]);
  });

  it('puts each action in the menus it belongs to', () => {
    const targets = Object.fromEntries(vso.contributions.map((c) => [c.id, c.targets ?? []]));
    expect(targets).toEqual({
      'clone-repository': ['ms.vss-code-web.source-item-menu'],
      'clone-branch': ['ms.vss-code-web.git-branches-tree-menu'],
      'checkout-pull-request': ['ms.vss-code-web.pull-request-action-menu'],
      'start-work-item': ['ms.vss-work-web.work-item-toolbar-menu'],
      'start-work-items': ['ms.vss-work-web.work-item-context-menu'],
      'companion-dialog': [],
    });
    const actions = vso.contributions.filter((c) => c.type === 'ms.vss-web.action');
    // The action page registers exactly the manifest's object ids.
    const bundle = text('action.js');
    for (const action of actions) {
      expect(action.properties.registeredObjectId, action.id).toBe(action.id);
      expect(files[action.properties.icon!], `${action.id} icon`).toBeDefined();
      expect(bundle).toContain(`"${action.id}"`);
    }
  });

  it('shows each of its entries once in every menu Azure DevOps draws', () => {
    // A menu lists the contributions of all the target ids it asks for. Azure DevOps' own Files
    // grid asks for source-item-menu and source-grid-item-menu, its tree for source-item-menu and
    // source-tree-item-menu (Microsoft Learn, Extensibility points: source-item-menu is the "Source
    // item (grid and tree) menu"; ado-extension/README.md). Every other menu asks for its one id.
    const menus: Record<string, string[]> = {
      'Files list item': ['ms.vss-code-web.source-item-menu', 'ms.vss-code-web.source-grid-item-menu'],
      'Files tree item': ['ms.vss-code-web.source-item-menu', 'ms.vss-code-web.source-tree-item-menu'],
      'branch row': ['ms.vss-code-web.git-branches-tree-menu'],
      'pull request': ['ms.vss-code-web.pull-request-action-menu'],
      'work item toolbar': ['ms.vss-work-web.work-item-toolbar-menu'],
      'work item context': ['ms.vss-work-web.work-item-context-menu'],
    };
    const actions = vso.contributions.filter((c) => c.type === 'ms.vss-web.action');
    const entries = (ids: string[]) => actions.filter((c) => c.targets?.some((t) => ids.includes(t))).map((c) => c.properties.text);
    const shown = Object.fromEntries(Object.entries(menus).map(([menu, ids]) => [menu, entries(ids)]));
    expect(shown).toEqual({
      'Files list item': ['Clone to desktop'],
      'Files tree item': ['Clone to desktop'],
      'branch row': ['Clone to desktop'],
      'pull request': ['Check out locally'],
      'work item toolbar': ['Start work'],
      'work item context': ['Start work'],
    });
    // No target outside these menus, where no test would see what it draws.
    const known = new Set(Object.values(menus).flat());
    for (const action of actions) for (const target of action.targets ?? []) expect(known, `${action.id}: ${target}`).toContain(target);
  });

  it("loads only files inside the package in every contribution's page", () => {
    const pages = [...new Set(vso.contributions.map((c) => c.properties.uri!))];
    expect(pages.toSorted()).toEqual(['action.html', 'dialog.html']);
    for (const page of pages) {
      const html = text(page);
      const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
      expect(refs.length, page).toBeGreaterThan(0);
      for (const ref of refs) {
        expect(ref, `${page} loads ${ref}`).not.toMatch(/^[a-z][a-z0-9+.-]*:|^\/\//i);
        expect(files[posix.normalize(ref)], `${page} loads ${ref}`).toBeDefined();
      }
      expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'; script-src 'self'/);
      // The bundles load nothing at run time either (no import of another URL).
      for (const script of refs.filter((r) => r.endsWith('.js'))) expect(text(script)).not.toMatch(/\bimport\s*\(|from\s*["']https?:/);
    }
  });

  it('reads the same from the .vsix and from the folder it was packed from (as the sandbox hosts it)', async () => {
    const [packed, folder] = await Promise.all([readExtensionPackage(vsixPath), readExtensionPackage(unpacked)]);
    expect(folder.extension).toEqual(packed.extension);
    expect([...folder.addressable].toSorted()).toEqual([...packed.addressable].toSorted());
    for (const path of packed.addressable) expect(folder.files[path], path).toEqual(packed.files[path]);
    expect(packed.extension).toMatchObject({ publisherId: ADO_EXTENSION_PUBLISHER, extensionId: 'azure-devops-companion' });
    await expect(readExtensionPackage(join(unpacked, 'img'))).rejects.toThrow(/Not an extension package/);
  });
});
