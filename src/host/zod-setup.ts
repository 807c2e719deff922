/**
 * zod's settings for the host. They must be in place before any module that builds a schema is
 * evaluated: zod decides when it builds an object schema whether that schema will compile a
 * parser of its own with `new Function` (its JIT), so `z.config` called after the imports changes
 * nothing for the schemas already built. A host lives for one browser connection and parses each
 * kind of request a few times, so compiling costs more than it saves (~1–2 ms per schema, on the
 * way to the first clone), and the extension's service worker, which may not generate code, runs
 * the same schemas jitless.
 */
import * as z from 'zod';

export function useJitlessZod(): void {
  z.config({ jitless: true });
}
