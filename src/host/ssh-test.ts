/** `sshTest`: `ssh -T git@HOST` and what its answer means, in plain words. */
import type { SshTestData, SshTestRequest } from '../shared/host-protocol';
import { isAllowedHost, normalizeHost } from './config';
import { HostError } from './host-error';
import type { HostContext } from './host-context';
import { runProgram } from './run-program';
import { lockedKeySays, SSH_KEY_REFUSED } from './ssh-key';

export function describeSshTest(host: string, code: number | null, output: string, timedOut = false, port?: number): SshTestData {
  const sshPort = port ? `the SSH port (${port})` : 'the SSH port';
  const detail = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .slice(-5)
    .join('\n');
  const says = (pattern: RegExp) => pattern.test(output);
  const result = (ok: boolean, summary: string): SshTestData => ({ ok, summary, detail });
  // Azure DevOps accepts the key, then refuses a shell (exit status 1).
  if (says(/shell access is not supported/i)) return result(true, `SSH works: ${host} accepted your key.`);
  if (timedOut) return result(false, `${host} did not answer in time. Check your network or proxy; ${sshPort} may be blocked.`);
  if (says(SSH_KEY_REFUSED)) {
    return result(false, `${host} did not accept any of your SSH keys. Add your public key in Azure DevOps under User settings › SSH public keys.`);
  }
  if (says(/host key verification failed|remote host identification has changed/i)) {
    return result(false, `The host key of ${host} does not match the one remembered in ~/.ssh/known_hosts. Check it before trusting the new one.`);
  }
  if (says(/could not resolve hostname|name or service not known|nodename nor servname/i)) return result(false, `${host} could not be found: check the host name and your network.`);
  if (says(/connection refused|connection timed out|operation timed out|network is unreachable|no route to host/i)) {
    return result(false, `${host} could not be reached on ${sshPort}. A firewall or proxy may block SSH; try HTTPS instead.`);
  }
  if (says(/no matching host key type|no matching key exchange|no mutual signature/i)) {
    return result(false, `Your SSH client and ${host} found no algorithm in common. Update OpenSSH.`);
  }
  return result(false, `The SSH test failed${code === null ? '' : ` (exit status ${code})`}: ${detail.split('\n').pop() || 'ssh said nothing'}`);
}

export async function sshTest(request: SshTestRequest, ctx: HostContext): Promise<SshTestData> {
  const host = normalizeHost(request.host);
  if (!isAllowedHost(host, ctx.config())) throw new HostError('HOST_NOT_ALLOWED', `${host} is not an Azure DevOps host the companion knows`, { host });
  const result = await runProgram(
    'ssh',
    // BatchMode: never prompt; accept-new: remember a first-seen host key, refuse a changed one.
    ['-T', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=accept-new', '-o', 'ConnectTimeout=15', ...(request.port ? ['-p', String(request.port)] : []), '--', `git@${host}`],
    { env: ctx.env, timeoutMs: 30_000 },
  );
  const described = describeSshTest(host, result.code, `${result.stderr}\n${result.stdout}`, result.timedOut, request.port);
  // Refused, with a key whose passphrase ssh could not ask for (BatchMode): adding it again would not help.
  const locked = !described.ok && (await lockedKeySays(result.stderr, host, ctx));
  const data = locked ? { ...described, summary: `${host} accepted no key ssh could use. ${locked}.` } : described;
  ctx.log.info(`ssh test ${host}: ${data.ok ? 'ok' : 'failed'} (${data.detail.replace(/\n/g, ' | ')})`);
  return data;
}
