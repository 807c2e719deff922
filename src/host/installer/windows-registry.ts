/** HKCU registry values through reg.exe (no native module needed). */
import { runProgram } from '../run-program';

export const regAddArgs = (key: string, value: string) => ['add', key, '/ve', '/t', 'REG_SZ', '/d', value, '/f'];
export const regDeleteArgs = (key: string) => ['delete', key, '/f'];
export const regQueryArgs = (key: string) => ['query', key, '/ve'];

/** The default value from `reg query KEY /ve` output, or undefined. */
export function parseRegDefault(output: string): string | undefined {
  const line = output.split(/\r?\n/).find((l) => /\sREG_SZ\s/.test(l));
  return line?.replace(/^.*?\sREG_SZ\s+/, '').trim();
}

export async function reg(args: string[]): Promise<{ ok: boolean; output: string }> {
  const result = await runProgram('reg.exe', args, { timeoutMs: 20_000 });
  return { ok: result.code === 0, output: result.stdout + result.stderr };
}
