/** What every benchmark reports, and the arithmetic they share. */

export interface Row {
  /** What was measured. */
  measure: string;
  /** The figure, formatted with its unit. */
  value: string;
  /** The same task done by the baseline in the same run, when there is one. */
  baseline?: string;
  /** value / baseline (or its inverse, when so labelled). */
  ratio?: string;
  /** The product's target, in words. */
  target?: string;
  /** Whether the target was met; undefined when the row has no target or could not be judged. */
  met?: boolean;
}

export interface BenchResult {
  name: string;
  title: string;
  rows: Row[];
  /** The method, and anything the reader must know to trust the figures. */
  notes: string[];
  /** Every sample and setting, written to bench/results/{name}.json. */
  data: Record<string, unknown>;
  /** Set when the benchmark could not run at all (the part it measures is missing). */
  skipped?: string;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function p95(values: readonly number[]): number {
  return quantile(values, 0.95);
}

/** Linear interpolation between the closest ranks (numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = values.toSorted((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export const ms = (n: number, digits = n < 10 ? 2 : n < 100 ? 1 : 0) => `${n.toFixed(digits)} ms`;
export const times = (n: number) => `${n.toFixed(2)}×`;
/** Signed, with a minus sign like the ms differences (`−1.0 %`, not `-1.0 %`). */
export const percent = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n * 100).toFixed(1)} %`;

/** Milliseconds since `start` (a performance.now() reading). */
export const since = (start: number) => performance.now() - start;

const status = (r: Row) => (r.target === undefined ? '' : r.met === undefined ? 'n/a' : r.met ? 'met' : 'MISSED');

/** A plain-text table, one line per row, columns padded. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['measure', 'value', 'baseline', 'ratio', 'target', 'status'];
  const cells = [header, ...rows.map((r) => [r.measure, r.value, r.baseline ?? '', r.ratio ?? '', r.target ?? '', status(r)])];
  const widths = header.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells.map((c) => c.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** The same table as Markdown, for BENCHMARKS.md. */
export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| measure | value | baseline | ratio | target | status |', '| --- | --- | --- | --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${[r.measure, r.value, r.baseline ?? '', r.ratio ?? '', r.target ?? '', status(r)].map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  return lines.join('\n');
}

/**
 * A distribution-free 95 % confidence interval for the median (the sign test's order statistics):
 * the ranks k and n+1−k with P(Binomial(n, ½) < k) ≤ 2.5 %. Undefined below 6 values, where no
 * such interval exists.
 */
export function medianInterval(values: readonly number[]): [number, number] | undefined {
  const n = values.length;
  let below = 0;
  let k = 0;
  let term = 0.5 ** n; // P(X = 0)
  while (k < n && below + term <= 0.025) {
    below += term;
    term = (term * (n - k)) / (k + 1);
    k++;
  }
  if (k === 0) return undefined;
  const sorted = values.toSorted((a, b) => a - b);
  return [sorted[k - 1]!, sorted[n - k]!];
}
