/** The companion's user-facing builds: single executables and the npm package (see the .mjs). */
export const NPM_PACKAGE: string;
export const RELEASE_NODE: string;
export const TARGETS: Record<'linux-x64' | 'win-x64' | 'macos-x64' | 'macos-arm64', { file: string; pkg: string; bin: string; integrity: string }>;
export function hostTarget(platform?: NodeJS.Platform, arch?: string): keyof typeof TARGETS | undefined;
export function buildSeaScript(outFile: string, version: string): Promise<string>;
export function pinnedNode(target: keyof typeof TARGETS, cacheDir?: string): string;
export function buildExecutable(opts: { target: keyof typeof TARGETS; base: string; blobNode: string; script: string; out: string }): Promise<string[]>;
export function buildNpmPackage(bundle: string, version: string, outDir: string): string;
/** Returns the files built: the npm tarball first, then the executables. */
export function buildCompanion(opts: { bundle: string; outDir?: string; release?: boolean; targets?: string[]; log?: (line: string) => void }): Promise<string[]>;
