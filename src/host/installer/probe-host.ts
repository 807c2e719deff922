/** Starts the host the way a browser does and asks `hello`: the one check that proves the whole chain. */
import { spawn } from 'node:child_process';
import { HOST_NAME, MAX_FRAME_TO_BROWSER } from '../../shared/host-protocol';
import { FrameDecoder, encodeFrame } from '../frame-codec';

/** `callerArgs`: what the browser passes (`chrome-extension://ID/`, or Firefox's manifest path and add-on id). */
export function probeHost(launcher: string, callerArgs: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    const child = spawn(launcher, [...callerArgs], { env, stdio: ['pipe', 'pipe', 'ignore'], shell: false, windowsHide: true });
    const decoder = new FrameDecoder(MAX_FRAME_TO_BROWSER);
    const finish = (result: { ok: true; version: string } | { ok: false; reason: string }) => {
      clearTimeout(timer);
      child.kill();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: `no answer within ${timeoutMs / 1000} s` }), timeoutMs);
    child.on('error', (error) => finish({ ok: false, reason: error.message }));
    child.on('exit', (code) => finish({ ok: false, reason: `it exited (status ${code}) without answering` }));
    child.stdin.on('error', () => {});
    child.stdout.on('data', (chunk: Buffer) => {
      for (const item of decoder.push(chunk)) {
        if (item.kind !== 'frame') continue;
        try {
          const message = JSON.parse(item.payload.toString('utf8')) as { ok?: boolean; data?: { name?: string; version?: string } };
          if (message.ok && message.data?.name === HOST_NAME) finish({ ok: true, version: String(message.data.version) });
          else finish({ ok: false, reason: `unexpected answer ${item.payload.toString('utf8').slice(0, 200)}` });
        } catch {
          finish({ ok: false, reason: 'its answer is not JSON' });
        }
      }
    });
    child.stdin.write(encodeFrame({ id: 'doctor', type: 'hello' }, MAX_FRAME_TO_BROWSER));
  });
}
