// zod's classic schemas import its JSON Schema generator (to-json-schema.js and
// json-schema-processors.js) so that every schema can answer `toJSONSchema()` and
// `~standard.jsonSchema`. Nothing in the product asks a schema for JSON Schema, yet the generator
// was ~5.6 KB of the service worker and ~8 KB of the companion host, gzipped. The builds replace
// both files with one module that has the same exports, each of which throws when used.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The two files of zod's JSON Schema generator, as a bundler resolves them from zod's own imports. */
export const JSON_SCHEMA_FILES = /[\\/]zod[\\/]v4[\\/]core[\\/](?:to-json-schema|json-schema-processors)\.js$/;

const zodDir = dirname(createRequire(import.meta.url).resolve('zod/package.json'));

/** The names the two files export, read from the installed zod so that an upgrade cannot leave one out. */
export async function jsonSchemaExports() {
  const names = new Set();
  for (const file of ['to-json-schema.js', 'json-schema-processors.js']) {
    for (const name of Object.keys(await import(pathToFileURL(join(zodDir, 'v4', 'core', file)).href))) names.add(name);
  }
  return [...names].toSorted();
}

/**
 * The stand-in's source. `create…Method` return the method rather than run it: the `~standard`
 * getter builds both methods at once, and reading `~standard` (to validate) must keep working.
 */
export async function jsonSchemaStub() {
  const lines = [`const unavailable = () => { throw new Error('zod JSON Schema is left out of this build (scripts/zod-without-json-schema.mjs)'); };`];
  for (const name of await jsonSchemaExports()) {
    lines.push(`export const ${name} = ${/^create\w*Method$/.test(name) ? '() => unavailable' : 'unavailable'};`);
  }
  return `${lines.join('\n')}\n`;
}

const STUB_ID = '\0zod-json-schema-stub';

/** For vite (rolldown) builds. */
export function zodWithoutJsonSchemaVite() {
  return {
    name: 'zod-without-json-schema',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || !/[\\/]zod[\\/]/.test(importer) || !/json-schema/.test(source)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && JSON_SCHEMA_FILES.test(resolved.id) ? STUB_ID : null;
    },
    load(id) {
      return id === STUB_ID ? jsonSchemaStub() : null;
    },
  };
}

/** For esbuild builds (the companion host). */
export function zodWithoutJsonSchemaEsbuild() {
  return {
    name: 'zod-without-json-schema',
    setup(build) {
      build.onResolve({ filter: /json-schema/ }, (args) =>
        /[\\/]zod[\\/]/.test(args.importer) && JSON_SCHEMA_FILES.test(join(args.resolveDir, args.path))
          ? { path: 'zod-json-schema-stub', namespace: 'zod-without-json-schema' }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'zod-without-json-schema' }, async () => ({ contents: await jsonSchemaStub(), loader: 'js' }));
    },
  };
}
