import { GIT_TOO_OLD_NEXT } from './git-help';
import type { ReplyError } from './messages';
import { companionNeed, nextStepFor, type NextStep } from './next-step';

/**
 * Why a clone failed, for a person: the cause in one sentence, the next step, and git's own line
 * kept for "Details". The companion classifies git's stderr coarsely (AUTH_FAILED covers 401 and
 * 403, NETWORK_FAILED covers TLS and 5xx); git's line, which it quotes, tells those apart.
 */
export interface CloneFailureHelp {
  cause: string;
  next: string;
  /** The button that helps: a token in Options, a Microsoft sign-in renewed, the companion's setup, the SSH key, another clone folder, or trying again. */
  action: 'token' | 'signIn' | 'companion' | 'ssh' | 'folder' | 'retry' | 'none';
  /** git's own words, when it said any. */
  details?: string;
}

/** git's line, as the companion quotes it: "… (git: fatal: …)" or "git failed: …". */
export function gitLine(message: string): string | undefined {
  return /\(git: ([\s\S]*)\)\s*$/.exec(message)?.[1] ?? /^git failed: ([\s\S]*)$/.exec(message)?.[1];
}

/** ssh refused: git's line (ssh's own) or the companion's sentence for it. */
const SSH_HOST_KEY = /Host key verification failed|SSH host key/i;
const SSH_KEY_REFUSED = /Permission denied \((?:[\w-]+,)*publickey|did not accept your SSH key/i;
/** The companion's sentence for a refusal with a key whose passphrase ssh could not ask for: the key's path. */
const SSH_KEY_LOCKED = /^Your SSH key (.+?) has a passphrase and ssh-agent does not hold it/;
/** Whether git was refused by ssh, not by Azure DevOps over https: the SSH key, not the token, is what to fix. */
export const refusedBySsh = (message: string) => SSH_HOST_KEY.test(message) || SSH_KEY_REFUSED.test(message);

/** The way past something in the clone's way, before the clone (a panel's note) or after it failed. */
export const ANOTHER_CLONE_FOLDER: NextStep = ['Choose another clone folder', 'companion'];

/** `task`: what git was doing, for the words (a clone unless said). */
export function explainCloneFailure(error: ReplyError, opts: { profile: boolean; task?: 'clone' | 'checkout' }): CloneFailureHelp {
  const checkout = opts.task === 'checkout';
  const code = error.code.replace(/^companion\./, '');
  const details = gitLine(error.message);
  const said = `${details ?? ''}\n${error.message}`;
  const withDetails = (h: Omit<CloneFailureHelp, 'details'>): CloneFailureHelp => (details ? { ...h, details } : h);

  if (code === 'stopped') {
    // Its message quotes the browser ("Native host has exited."); what a person needs is that a new one is ready.
    return {
      cause: `The desktop companion stopped while it was working on the ${checkout ? 'checkout' : 'clone'}.`,
      next: 'Try again: a new one has started and removed what was left half done. If it keeps happening, run the companion’s "doctor" command.',
      action: 'retry',
    };
  }
  if (code === 'hung') {
    // The background's sentence says how long it waited and whether the companion was ended; its
    // message goes on to a "Try again" for the places that show it alone, which `next` says here.
    return { cause: error.happened ?? error.message, next: 'Try again: a new one starts. If it keeps happening, run the companion’s "doctor" command.', action: 'retry' };
  }
  // Said by the extension from the companion's hello, or by a companion asked anyway: the same words.
  if (code === 'gitTooOld' || code === 'GIT_TOO_OLD') return { cause: error.message.replace(` ${GIT_TOO_OLD_NEXT}`, ''), next: GIT_TOO_OLD_NEXT, action: 'companion' };
  if (code === 'missing' || code === 'outdated' || code === 'failed') {
    return { cause: error.message, next: code === 'outdated' ? 'Update the companion, then try again.' : 'Set up the companion, then try again.', action: 'companion' };
  }
  // Something else is where the clone would go (the companion's message names it): trying again alone would fail the same way.
  if (code === 'DEST_EXISTS' && !error.message.startsWith('This repository is already cloned')) {
    // A checkout's new worktree goes next to the clone, wherever the clone folder is: another one would not help.
    if (checkout) return { cause: `${error.message.replace(/\.?$/, '')}.`, next: 'Nothing was checked out. Move or rename what is there, then try again.', action: 'retry' };
    return { cause: `${error.message.replace(/\.?$/, '')}.`, next: 'Nothing was cloned. Move or rename what is there, then try again, or choose another clone folder in Options.', action: 'folder' };
  }
  // The companion's sentence says what the disk refused (git's line stays in Details): trying again alone fails the same way.
  if (code === 'CANNOT_WRITE') {
    return withDetails({
      cause: error.message.replace(/ \(git: [\s\S]*\)$/, ''),
      next: `Nothing was ${checkout ? 'checked out' : 'cloned'}. Free some space or fix the folder’s permissions, then try again${checkout ? '' : ', or choose another clone folder in Options'}.`,
      action: checkout ? 'retry' : 'folder',
    });
  }
  if (code === 'NO_CLONE_ROOT') return { cause: error.message, next: 'Choose the folder clones go to, then try again.', action: 'companion' };
  // Before the credential helper's case: a companion older than its SSH check said that of an
  // https URL the user's insteadOf sent to SSH.
  if (SSH_HOST_KEY.test(said)) {
    return withDetails({
      cause: 'ssh does not know the server’s host key, or the key has changed.',
      next: 'Test the connection under Options › SSH key: it records the key of a server seen for the first time. If the key has changed, ask your administrator why before you go on.',
      action: 'ssh',
    });
  }
  // Refused because ssh could not use the key, not because Azure DevOps does not know it (the companion tells).
  const locked = SSH_KEY_LOCKED.exec(error.message);
  if (locked) {
    return withDetails({
      cause: 'Your SSH key has a passphrase, and ssh-agent does not hold it: git cannot ask for the passphrase, so ssh could not use the key.',
      next: `Load it into ssh-agent (ssh-add ${locked[1]}; on Windows, start the OpenSSH Authentication Agent service first), or create a key for Azure DevOps under Options › SSH key, then try again.`,
      action: 'ssh',
    });
  }
  if (SSH_KEY_REFUSED.test(said)) {
    return withDetails({ cause: 'The server did not accept your SSH key.', next: 'Add your public key to Azure DevOps, or test the connection, under Options › SSH key.', action: 'ssh' });
  }
  if (code === 'TOOL_MISSING' && /\bssh\b/.test(said)) {
    return withDetails({ cause: 'git could not run ssh, which an SSH remote needs: it is not installed on this computer.', next: 'Install OpenSSH (the ssh command), or switch this profile to HTTPS in Options › Profiles, then try again.', action: 'none' });
  }
  if (code === 'NO_CREDENTIAL_HELPER' || (/terminal prompts disabled|could not read (Username|Password)/i.test(said) && !opts.profile)) {
    return withDetails({
      // The companion's own sentence names the server.
      cause: code === 'NO_CREDENTIAL_HELPER' ? error.message : 'git has no credential helper to sign you in to Azure DevOps.',
      next: 'Install Git Credential Manager (it signs in through your browser), or add a token in Options.',
      action: 'token',
    });
  }
  // A Microsoft sign-in's git (the background names it so): it is signed in again, and its 403 is access alone.
  const signIn = code === 'SIGN_IN_REFUSED';
  if (/\b401\b|Authentication failed|could not read (Username|Password)|terminal prompts disabled/i.test(said)) {
    if (signIn) return withDetails({ cause: 'Azure DevOps did not accept your Microsoft sign-in: it may have expired or been revoked.', next: 'Sign in with Microsoft again in Options, then try again.', action: 'signIn' });
    return withDetails({
      cause: 'Azure DevOps did not accept the sign-in: the token may have expired or been revoked.',
      next: `Create a new token with the Code (Read) scope, then ${opts.profile ? 'update the token' : 'add a token'} in Options.`,
      action: 'token',
    });
  }
  if (/\b403\b|TF400813|Access denied/i.test(said)) {
    return withDetails({
      cause: 'You are signed in, but not allowed to read this repository’s code.',
      next: signIn ? 'Ask a project administrator for access.' : 'Give the token the Code (Read) scope, or ask a project administrator for access.',
      action: signIn ? 'none' : 'token',
    });
  }
  if (code === 'NOT_FOUND' || /\b404\b|TF401019|not found/i.test(said)) {
    return withDetails({ cause: 'The repository was not found: it may have been renamed or deleted, or your account cannot see it.', next: 'Open it in Azure DevOps to check, then try again.', action: 'retry' });
  }
  if (/SSL certificate|certificate verify|unable to get local issuer|self[- ]signed certificate/i.test(said)) {
    return withDetails({
      cause: 'git does not trust the server’s certificate.',
      next: 'If your network inspects HTTPS, give git your organization’s certificate (git config --global http.sslCAInfo FILE), or ask your IT department.',
      action: 'none',
    });
  }
  if (/\b5\d\d\b/.test(details ?? '') || /returned error: 5\d\d/i.test(said)) {
    return withDetails({ cause: 'Azure DevOps had a problem on its side.', next: 'Try again in a few minutes; status.dev.azure.com says whether there is an outage.', action: 'retry' });
  }
  if (code === 'NETWORK_FAILED') {
    return withDetails({ cause: 'The server could not be reached, or the connection broke off.', next: 'Check your network or proxy, then try again.', action: 'retry' });
  }
  if (code === 'BRANCH_NOT_FOUND') {
    return withDetails({
      cause: 'The branch no longer exists in the repository.',
      next: checkout ? 'It may have been deleted or renamed: look for it in Azure DevOps.' : 'Switch to another branch in Azure DevOps, then clone again.',
      action: 'retry',
    });
  }
  // Not from git: the message is already a sentence for a person.
  return withDetails({ cause: details ? `git could not ${checkout ? 'check the branch out' : 'clone the repository'}.` : error.message, next: 'Try again.', action: 'retry' });
}

/**
 * The buttons a failure explained by `explainCloneFailure` gets: the Options section that fixes it
 * (the explanation's, else a failure before git's: a refused token, no account), and whether
 * trying again can help. A companion that crashed or hung is started afresh by trying again; a
 * missing one is not.
 */
export function failureActions(error: ReplyError, help: CloneFailureHelp, opts: { profile: boolean }): { fix?: NextStep; retry: boolean } {
  const fix: NextStep | undefined =
    help.action === 'token' ? (opts.profile ? ['Update the token', 'profiles'] : ['Add a token', 'accounts'])
    : help.action === 'signIn' ? ['Sign in again', 'profiles']
    : help.action === 'companion' ? (nextStepFor(error.code) ?? companionNeed('failed').fix)
    : help.action === 'ssh' ? ['Open the SSH key settings', 'ssh']
    : help.action === 'folder' ? ANOTHER_CLONE_FOLDER
    : help.action === 'none' ? undefined
    : nextStepFor(error.code);
  const retry = help.action !== 'companion' || error.code.replace(/^companion\./, '') === 'failed';
  return fix ? { fix, retry } : { retry };
}
