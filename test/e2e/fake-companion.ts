import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ADO_COMPANION_CHROME_ID } from '../../src/shared/extension-ids';
import { HOST_NAME, PROTOCOL_VERSION } from '../../src/shared/host-constants';
import type { Session } from './harness';

/**
 * Registers, for the session's browser profile and as the installer does, a stand-in companion
 * that answers `hello` with `hello` (over a current companion's answer on Linux) and every other
 * request with `error`, `$type` replaced by the request's type.
 */
export async function installFakeCompanion(session: Session, file: string, hello: Record<string, unknown>, error: { code: string; message: string }): Promise<void> {
  const data = { name: HOST_NAME, protocolVersion: PROTOCOL_VERSION, platform: 'linux', logFile: '/dev/null', limits: { maxFrameToBrowser: 1_000_000, maxFrameFromBrowser: 1_000_000 }, ...hello };
  const program = `#!/usr/bin/env node
const data = { ...${JSON.stringify(data)}, node: process.version };
const error = ${JSON.stringify(error)};
let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32LE(0)) {
    const size = buffer.readUInt32LE(0);
    const request = JSON.parse(buffer.subarray(4, 4 + size).toString('utf8'));
    buffer = buffer.subarray(4 + size);
    const answer = request.type === 'hello' ? { id: request.id, ok: true, data } : { id: request.id, ok: false, error: { ...error, message: error.message.replace('$type', request.type) } };
    const body = Buffer.from(JSON.stringify(answer));
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length, 0);
    process.stdout.write(Buffer.concat([head, body]));
  }
});
process.stdin.on('end', () => process.exit(0));
`;
  const hosts = join(session.userDataDir, 'NativeMessagingHosts');
  await mkdir(hosts, { recursive: true });
  const path = join(session.userDataDir, file);
  await writeFile(path, program);
  await chmod(path, 0o755);
  await writeFile(join(hosts, `${HOST_NAME}.json`), JSON.stringify({ name: HOST_NAME, description: file, path, type: 'stdio', allowed_origins: [`chrome-extension://${ADO_COMPANION_CHROME_ID}/`] }));
}
