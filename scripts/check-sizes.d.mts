export interface Budget {
  name: string;
  /** `file`: one bundle; `page`: an HTML page, measured as the sum of the JS chunks it loads. */
  kind: 'file' | 'page';
  /** Relative to the dist directory. */
  path: string;
  /** A page only: a chunk it loads at once after its first frame, counted with it (relative to the dist directory). */
  next?: string;
  /** Gzipped bytes. */
  budget: number;
}

export interface BundleSize {
  name: string;
  path: string;
  budget: number;
  /** Relative to the dist directory. */
  files: string[];
  raw: number;
  gzip: number;
  missing: boolean;
}

export const BUDGETS: Budget[];
export function gzipSize(bytes: Uint8Array): number;
export function pageScripts(html: string): string[];
export function staticImports(code: string): string[];
export function pageChunks(distDir: string, htmlPath: string, next?: string): string[];
export function measureBundles(distDir: string, budgets?: Budget[]): BundleSize[];
export function overBudget(m: BundleSize): boolean;
export function formatSizeTable(measures: BundleSize[]): string;
/** Prints the table (through `log`) and returns the exit status: 1 when a bundle is over budget or missing. */
export function checkSizes(distDir: string, log?: (line: string) => void, budgets?: Budget[]): number;
