import { build } from 'esbuild';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlainHello } from '../../src/host/hello';
import { HelloRequestSchema } from '../../src/shared/host-protocol';

describe('the hello the companion answers before loading its schemas', () => {
  it('takes the hellos the extension sends', () => {
    expect(isPlainHello({ id: 'h1', type: 'hello' })).toBe(true);
    expect(isPlainHello({ id: 'h1', type: 'hello', protocolVersion: 1, extensionVersion: '0.1.0' })).toBe(true);
  });

  it('leaves everything else to the schemas', () => {
    for (const value of [null, [], 'hello', { type: 'hello' }, { id: '', type: 'hello' }, { id: 'x'.repeat(129), type: 'hello' }, { id: 'h', type: 'configure' }, { id: 'h', type: 'hello', extra: 1 }, { id: 'h', type: 'hello', protocolVersion: 1.5 }, { id: 'h', type: 'hello', extensionVersion: 'a\nb' }, { id: 'h', type: 'hello', extensionVersion: '' }]) {
      expect(isPlainHello(value), JSON.stringify(value)).toBe(false);
    }
  });

  it('never takes a request the schema refuses', () => {
    const anything = fc.oneof(fc.constant(undefined), fc.string(), fc.integer(), fc.double(), fc.constant(-0), fc.boolean(), fc.constant(null));
    const hellos = fc.record(
      { id: fc.oneof(fc.string({ maxLength: 130 }), anything), type: fc.oneof(fc.constant('hello'), anything), protocolVersion: anything, extensionVersion: fc.oneof(fc.string({ maxLength: 70 }), anything), extra: anything },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(hellos, (value) => {
        const parsed = JSON.parse(JSON.stringify(value)) as unknown;
        if (isPlainHello(parsed)) expect(HelloRequestSchema.safeParse(parsed).success).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('is answered by code that loads no zod: the host imports its schemas only after the first answer', async () => {
    const result = await build({ entryPoints: ['src/host/main.ts'], bundle: true, splitting: true, format: 'esm', platform: 'node', outdir: 'unused', write: false, metafile: true, logLevel: 'silent' });
    const outputs = result.metafile.outputs;
    // The chunks reachable from main.ts through static imports, plus native-messaging.ts's own chunk (imported first).
    const entry = Object.keys(outputs).find((o) => outputs[o]!.entryPoint === 'src/host/main.ts')!;
    const nativeChunk = Object.keys(outputs).find((o) => Object.keys(outputs[o]!.inputs).includes('src/host/native-messaging.ts'))!;
    const loaded = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const i of outputs[file]!.imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path);
    };
    visit(entry);
    visit(nativeChunk);
    const inputs = [...loaded].flatMap((o) => Object.keys(outputs[o]!.inputs));
    expect(inputs).toContain('src/host/hello.ts');
    expect(inputs.filter((i) => i.includes('node_modules/zod') || i.endsWith('host-protocol.ts'))).toEqual([]);
  });
});
