import { readFile, writeFile } from 'node:fs/promises';
import type { MachineInfo } from './machine';
import { type BenchResult, markdownTable } from './stats';

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

export interface RunRecord {
  result: BenchResult;
  seconds: number;
  load: { before: number; after: number };
}

/** The figures of one `npm run bench` as Markdown: the machine, then one table per benchmark. */
export function renderResults(runs: readonly RunRecord[], machine: MachineInfo, date: Date, totalSeconds: number): string {
  const lines = [
    `Run of ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${totalSeconds.toFixed(0)} s in all, on ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, ${machine.chromium}, ${machine.git}.`,
  ];
  for (const { result, seconds, load } of runs) {
    lines.push('', `### ${result.title}`, '', `\`${result.name}\`: ${seconds.toFixed(1)} s; 1-minute load average ${load.before.toFixed(1)} before, ${load.after.toFixed(1)} after.`, '');
    lines.push(result.skipped ? `Not run: ${result.skipped}` : markdownTable(result.rows));
  }
  return lines.join('\n');
}

/** Replaces the generated part of BENCHMARKS.md (between its markers) with `markdown`. */
export async function updateDoc(file: string, markdown: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file} has no ${START} … ${END} section to fill`);
  await writeFile(file, `${text.slice(0, start + START.length)}\n${markdown}\n${text.slice(end)}`);
}
