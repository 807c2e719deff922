import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild, type Rollup } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { buildHost } from '../../scripts/build-host.mjs';
import { jsonSchemaExports, zodWithoutJsonSchemaEsbuild, zodWithoutJsonSchemaVite } from '../../scripts/zod-without-json-schema.mjs';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'zod-without-json-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Only in zod's JSON Schema generator (core/to-json-schema.js).
const GENERATOR = 'Cycle detected';

// A schema like the product's: strict object, bounded strings, optional and nullable fields, arrays.
const ENTRY = `
import * as z from 'zod';
export const schema = z.object({ id: z.string().min(1).max(8), tags: z.array(z.enum(['a', 'b'])).max(2).optional(), n: z.number().int().nullable() }).strict();
`;

type Built = { schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } }; toJSONSchema(): unknown; '~standard': { validate(v: unknown): unknown } } };

async function load(code: string, name: string): Promise<Built> {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, code);
  return (await import(pathToFileURL(file).href)) as Built;
}

async function bundleWithEsbuild(plugins: ReturnType<typeof zodWithoutJsonSchemaEsbuild>[]): Promise<{ code: string; warnings: unknown[] }> {
  const out = await esbuild({ stdin: { contents: ENTRY, resolveDir: root, loader: 'js' }, bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent', plugins });
  return { code: out.outputFiles[0]!.text, warnings: out.warnings };
}

async function bundleWithVite(): Promise<string> {
  const entry = {
    name: 'entry',
    resolveId: (id: string) => (id === 'virtual:entry' ? '\0entry' : null),
    load: (id: string) => (id === '\0entry' ? ENTRY : null),
  };
  const out = (await viteBuild({
    configFile: false,
    root,
    logLevel: 'silent',
    plugins: [entry, zodWithoutJsonSchemaVite()],
    build: { write: false, minify: true, rollupOptions: { input: 'virtual:entry', output: { format: 'es' }, preserveEntrySignatures: 'exports-only' } },
  })) as Rollup.RollupOutput[] | Rollup.RollupOutput;
  const chunks = (Array.isArray(out) ? out[0]! : out).output.filter((o): o is Rollup.OutputChunk => o.type === 'chunk');
  expect(chunks).toHaveLength(1);
  return chunks[0]!.code;
}

function validatesAsBefore({ schema }: Built): void {
  expect(schema.safeParse({ id: 'x', tags: ['a'], n: null }).success).toBe(true);
  const refused = schema.safeParse({ id: '', tags: ['c'], n: 1.5, extra: 1 });
  expect(refused.success).toBe(false);
  // zod's English messages still load (its locale sits next to the generator in classic/schemas.js).
  expect(refused.error!.issues.map((i) => i.message)).toContain('Too small: expected string to have >=1 characters');
  expect(schema['~standard'].validate({ id: 'x', n: 1 })).toEqual({ value: { id: 'x', n: 1 } });
  expect(() => schema.toJSONSchema()).toThrow(/left out of this build/);
}

describe("zod's JSON Schema generator is left out of the bundles", () => {
  it('esbuild (the companion host): schemas validate as before, and only JSON Schema is gone', async () => {
    const plain = await bundleWithEsbuild([]);
    expect(plain.code.includes(GENERATOR)).toBe(true);
    expect(((await load(plain.code, 'plain')).schema.toJSONSchema() as { type: string }).type).toBe('object');

    const slim = await bundleWithEsbuild([zodWithoutJsonSchemaEsbuild()]);
    expect(slim.warnings).toEqual([]);
    expect(slim.code.includes(GENERATOR)).toBe(false);
    expect(slim.code.length).toBeLessThan(plain.code.length - 20_000);
    validatesAsBefore(await load(slim.code, 'slim-esbuild'));
  });

  it('vite (the extension): schemas validate as before, and only JSON Schema is gone', async () => {
    const code = await bundleWithVite();
    expect(code.includes(GENERATOR)).toBe(false);
    validatesAsBefore(await load(code, 'slim-vite'));
  });

  it('the host build uses it', async () => {
    const { bundle } = await buildHost(join(dir, 'host'));
    const code = readFileSync(bundle, 'utf8');
    expect(code.includes(GENERATOR)).toBe(false);
    expect(code).toContain('left out of this build');
  });

  it('the stand-in has every name the generator exports', async () => {
    const names = await jsonSchemaExports();
    for (const name of ['createToJSONSchemaMethod', 'createStandardJSONSchemaMethod', 'stringProcessor', 'objectProcessor', 'toJSONSchema']) expect(names).toContain(name);
  });

  it('nothing in the product asks a schema for JSON Schema', () => {
    // git grep exits 1 when nothing matches.
    expect(() => execFileSync('git', ['grep', '-n', '-E', 'toJSONSchema|jsonSchema|~standard', '--', 'src', 'ado-extension'], { cwd: root, encoding: 'utf8' })).toThrow();
  });
});
