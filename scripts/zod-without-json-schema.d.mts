import type { Plugin as EsbuildPlugin } from 'esbuild';
import type { Plugin as VitePlugin } from 'vite';

/** Matches the two files of zod's JSON Schema generator. */
export const JSON_SCHEMA_FILES: RegExp;
/** The names those two files export, read from the installed zod. */
export function jsonSchemaExports(): Promise<string[]>;
/** The source of the module that stands in for both: the same exports, each throwing when used. */
export function jsonSchemaStub(): Promise<string>;
export function zodWithoutJsonSchemaVite(): VitePlugin;
export function zodWithoutJsonSchemaEsbuild(): EsbuildPlugin;
