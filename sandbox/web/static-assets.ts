import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { applyVariantToCss, type MarkupVariant } from './markup-variant';

const here = import.meta.dirname;
let script: Promise<string> | undefined;
let css: Promise<string> | undefined;

/** The page script, bundled from `client/` on first use (then kept for the process). */
export function pageScript(): Promise<string> {
  script ??= build({
    entryPoints: [path.join(here, 'client', 'app.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  script.catch(() => (script = undefined));
  return script;
}

/** The stylesheet in a markup variant's class names. */
export async function stylesheet(variant: MarkupVariant): Promise<string> {
  css ??= readFile(path.join(here, 'app.css'), 'utf8');
  return applyVariantToCss(await css, variant);
}
