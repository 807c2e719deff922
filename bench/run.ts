/**
 * `npm run bench [-- --only api,sizes] [-- --update-doc]`: runs the benchmarks (after `npm run
 * build`), prints a table for each and writes bench/results/{name}.json, machine.json and
 * summary.md; `--update-doc` also puts the figures into BENCHMARKS.md. Exits 1 when a benchmark
 * fails to run; a missed target is reported in its table, not as a failure.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runApi } from './api';
import { runCompanion } from './companion';
import { runInjection } from './injection';
import { machineInfo } from './machine';
import { runPopup } from './popup';
import { renderResults, updateDoc, type RunRecord } from './report';
import { runSearch } from './search';
import { runSizes } from './sizes';
import { type BenchResult, formatTable } from './stats';

// The companion's last: its in-process sandbox serves ~200 clones (~0.8 GB through this process's
// heap), and the search benchmark, run in this process right after it, measured each keystroke
// twice as slow as when run alone (p95 1.16 ms against 0.67–0.68 ms in three runs alone).
const BENCHMARKS: Record<string, (repoRoot: string) => Promise<BenchResult>> = {
  sizes: runSizes,
  api: runApi,
  search: runSearch,
  popup: runPopup,
  injection: runInjection,
  companion: runCompanion,
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, 'update-doc': { type: 'boolean', default: false } }, strict: true });
  const names = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : Object.keys(BENCHMARKS);
  const unknown = names.filter((n) => !BENCHMARKS[n]);
  if (unknown.length) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);

  const repoRoot = resolve(import.meta.dirname, '..');
  const resultsDir = join(repoRoot, 'bench/results');
  await mkdir(resultsDir, { recursive: true });
  const machine = machineInfo();
  await writeFile(join(resultsDir, 'machine.json'), JSON.stringify(machine, null, 2) + '\n');
  console.log(`machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.chromium}`);

  const started = performance.now();
  const runs: RunRecord[] = [];
  let failed = 0;
  for (const name of names) {
    const t0 = performance.now();
    // Other work on the machine skews every figure: say how busy it was.
    const loadBefore = loadavg()[0]!;
    let result: BenchResult;
    try {
      result = await BENCHMARKS[name]!(repoRoot);
    } catch (err) {
      failed++;
      console.error(`\n## ${name}: FAILED\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      continue;
    }
    const run: RunRecord = { result, seconds: (performance.now() - t0) / 1000, load: { before: loadBefore, after: loadavg()[0]! } };
    runs.push(run);
    console.log(`\n## ${result.title}  [${name}, ${run.seconds.toFixed(1)} s, load ${run.load.before.toFixed(1)} → ${run.load.after.toFixed(1)}]`);
    console.log(result.skipped ? `not run: ${result.skipped}` : formatTable(result.rows));
    await writeFile(join(resultsDir, `${name}.json`), JSON.stringify({ ...result, seconds: run.seconds, load: run.load, machine, date: new Date().toISOString() }, null, 2) + '\n');
  }
  const totalSeconds = (performance.now() - started) / 1000;
  const summary = renderResults(runs, machine, new Date(), totalSeconds);
  await writeFile(join(resultsDir, 'summary.md'), summary + '\n');
  if (values['update-doc']) {
    if (failed) console.error('BENCHMARKS.md not updated: a benchmark failed');
    else await updateDoc(join(repoRoot, 'BENCHMARKS.md'), summary);
  }
  console.log(`\nbench: ${names.length - failed}/${names.length} ran in ${totalSeconds.toFixed(1)} s; results in bench/results/`);
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
