/** Reads why git failed from its stderr, as an error code and one plain sentence. */
import type { ErrorCode, GitAuth } from '../shared/host-protocol';
import { signInFailure } from './credential-helper';
import type { CheckedGitUrl } from './git-url';
import { HostError } from './host-error';
import { SSH_KEY_REFUSED } from './ssh-key';
import type { HostContext, RequestScope } from './host-context';
import type { ConfigEntry } from './repo-config';

interface Rule {
  pattern: RegExp;
  code: ErrorCode;
  sentence: string;
  /** ssh's own refusal: whatever URL the user gave, no credential helper was asked. */
  bySsh?: true;
}

const RULES: readonly Rule[] = [
  // First: on a full disk git's last line names what it failed at next (a ref it could not update), not why.
  { pattern: /No space left on device|Disk quota exceeded/i, code: 'CANNOT_WRITE', sentence: 'The disk that holds the clone folder is full.' },
  { pattern: /Remote branch .* not found|couldn't find remote ref/i, code: 'BRANCH_NOT_FOUND', sentence: 'The branch does not exist in the remote repository.' },
  { pattern: /cannot run ssh/i, code: 'TOOL_MISSING', sentence: 'git could not run ssh, which an SSH remote needs: it is not installed on this computer.' },
  { pattern: /Host key verification failed/i, code: 'AUTH_FAILED', sentence: 'The server’s SSH host key is unknown or has changed; run the SSH test first.', bySsh: true },
  {
    pattern: SSH_KEY_REFUSED,
    code: 'AUTH_FAILED',
    sentence: 'The server did not accept your SSH key. Add your public key to Azure DevOps (User settings › SSH public keys).',
    bySsh: true,
  },
  {
    pattern: /Authentication failed|could not read (Username|Password)|terminal prompts disabled|Access denied|returned error: 40[13]\b|TF400813/i,
    code: 'AUTH_FAILED',
    sentence: 'Azure DevOps did not accept the credentials. Check that the token is valid and has the Code (read) scope.',
  },
  {
    pattern: /repository .* not found|TF401019|returned error: 404\b|does not appear to be a git repository/i,
    code: 'NOT_FOUND',
    sentence: 'The repository was not found, or you have no access to it.',
  },
  {
    pattern:
      /Could not resolve host|Failed to connect|Connection refused|Connection timed out|Operation timed out|Network is unreachable|SSL certificate problem|Could not resolve hostname|early EOF|RPC failed/i,
    code: 'NETWORK_FAILED',
    sentence: 'The server could not be reached, or the connection broke off.',
  },
];

const ruleFor = (stderr: string) => RULES.find((rule) => rule.pattern.test(stderr));

export function classifyGitFailure(stderr: string): { code: ErrorCode; message: string } {
  const lines = linesOf(stderr);
  const rule = ruleFor(stderr);
  if (rule) {
    // The line that tells: ssh's "Permission denied (publickey)" comes before git's last "fatal:
    // Could not read from remote repository", which is the same for every SSH failure.
    const gitSays = (lines.find((l) => rule.pattern.test(l)) ?? lastFatalLine(lines))?.slice(0, 500);
    return { code: rule.code, message: gitSays ? `${rule.sentence} (git: ${gitSays})` : rule.sentence };
  }
  const gitSays = lastFatalLine(lines)?.slice(0, 500);
  return { code: 'GIT_FAILED', message: gitSays ? `git failed: ${gitSays}` : 'git failed without saying why.' };
}

/**
 * The error a clone or fetch of `remote` ends with when git failed, logged with git's own words.
 * Without a token git signed in with the user's credential helper, if there is one: `entries` is
 * the configuration it used (read outside any repository when absent, as for a clone).
 */
export async function gitFailed(
  what: 'clone' | 'fetch',
  stderr: string,
  ctx: HostContext,
  scope: RequestScope,
  git: { remote: CheckedGitUrl; auth: GitAuth | undefined; entries?: readonly ConfigEntry[] },
): Promise<HostError> {
  // Masked before it is cut: a token cut in two is no longer seen as one.
  const said = ctx.redactor.redact(stderr);
  const classified = classifyGitFailure(said);
  // Refused by ssh (the user's insteadOf took an https URL there): no credential helper is at stake.
  const overHttps = git.remote.transport === 'https' && !ruleFor(said)?.bySsh;
  const failure = !git.auth && overHttps ? await signInFailure(classified, git.remote.url, ctx.env, git.entries) : classified;
  ctx.log.warn(`${scope.id} ${what} failed (${failure.code}): ${said.slice(-2000)}`);
  return new HostError(failure.code, failure.message);
}

const linesOf = (stderr: string) =>
  stderr
    .split(/[\r\n]+/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

function lastFatalLine(lines: readonly string[]): string | undefined {
  return lines.filter((l) => /^(fatal|error):/i.test(l)).pop() ?? lines.at(-1);
}
