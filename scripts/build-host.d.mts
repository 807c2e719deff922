/** Builds the companion host into `outDir` (default dist/host): the bundle and its launchers. */
export function buildHost(outDir?: string): Promise<{ bundle: string; launchers: string[] }>;
