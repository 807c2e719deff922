import { ask } from '../shared/ask';
import type { SshKeyData, SshKeyInfo, SshTestData } from '../shared/host-protocol';
import type { ReplyError } from '../shared/messages';
import type { Profile } from '../shared/profile';
import { toReplyError } from '../shared/ui/error-note';

/** What the SSH key section can be doing: the one under way shows on its button, and every button waits for it. */
export type SshAction = 'find' | 'generate' | 'add' | 'configure' | 'test';

/** What the section shows once the companion is ready. `view` draws it; the actions below move it on. */
export type SshState =
  /** The first look for the key, with nothing to show yet. */
  | { kind: 'looking' }
  /** Looking failed: its note, with Try again (which looks again, from `looking`). */
  | { kind: 'lookFailed'; error: ReplyError }
  /** A key or none (`data.key` null), and under it what the last actions said. */
  | Shown;

export interface Shown {
  kind: 'shown';
  data: SshKeyData;
  busy?: SshAction | undefined;
  outcome?: string | undefined;
  test?: SshTestData | undefined;
  /** The action that failed, for its note's Try again. */
  failed?: { error: ReplyError; again: Exclude<SshAction, 'find'> } | undefined;
}

/**
 * `action` starts: an earlier failure goes, and so does the result it is about to replace. A look
 * (the profiles' hosts changed) is no step of the user's: it leaves what the actions said.
 */
export function begin(s: SshState, action: SshAction): SshState {
  // A look again after a failure shows the look, as the first one did.
  if (s.kind !== 'shown') return { kind: 'looking' };
  if (action === 'find') return { ...s, busy: action };
  const replaced = action === 'test' ? { test: undefined } : action === 'add' || action === 'configure' ? { outcome: undefined } : {};
  return { ...s, busy: action, failed: undefined, ...replaced };
}

type Said = Partial<Omit<Shown, 'kind'>>;

/** What an action said (a key found or made, an outcome, a test), over what the section showed. */
export function said(s: SshState, what: Said): SshState {
  if (s.kind === 'shown') return { ...s, ...what };
  return what.data ? { kind: 'shown', data: what.data, ...what } : s;
}

/** A look that failed replaces the key with its note; any other action's failure goes under the key. */
export function failed(s: SshState, action: SshAction, error: ReplyError): SshState {
  if (action === 'find') return { kind: 'lookFailed', error };
  return s.kind === 'shown' ? { ...s, busy: undefined, failed: { error, again: action } } : s;
}

export type Move = (move: (s: SshState) => SshState) => void;

/** What each section (by its `set`) runs or has yet to run: the last action's end. */
const queues = new WeakMap<Move, Promise<void>>();

/**
 * Runs `action` from its start to what it said, or to its failure, once the section's earlier
 * actions have ended: a look started by a new account while Create, Add or Configure runs would
 * otherwise free the buttons when it ends, or answer "no key" from before a key was made.
 */
function run(set: Move, action: SshAction, asked: () => Promise<Said>): Promise<void> {
  const ended = (queues.get(set) ?? Promise.resolve()).then(() => runNow(set, action, asked));
  queues.set(set, ended);
  return ended;
}

async function runNow(set: Move, action: SshAction, asked: () => Promise<Said>): Promise<void> {
  set((s) => begin(s, action));
  try {
    const what = await asked();
    set((s) => said(s, { busy: undefined, ...what }));
  } catch (e) {
    set((s) => failed(s, action, toReplyError(e)));
  }
}

/** Looks for the key, or makes one (RSA: the only kind Azure DevOps accepts). */
export const load = (set: Move, action: 'find' | 'generate') =>
  run(set, action, async () => {
    try {
      return { data: await ask({ type: 'ssh.key', action }) };
    } catch (e) {
      // A key is there already (made by a companion that stopped before it answered, or by hand):
      // it is the one to use, shown as it is, not a failure.
      const there = action === 'generate' && toReplyError(e).code === 'companion.KEY_EXISTS' ? await ask({ type: 'ssh.key', action: 'find' }).catch(() => undefined) : undefined;
      if (!there?.key) throw e;
      return { data: there, outcome: 'An RSA key was there already, so no new one was made: it is shown above, left as it was.' };
    }
  });

/** Adds the key to the profile's organization with its Microsoft sign-in (with a token, the section copies it for the keys page instead). */
export const addToAdo = (set: Move, key: SshKeyInfo, profile: Profile) =>
  run(set, 'add', async () => {
    const added = await ask({ type: 'ssh.addToAdo', profileId: profile.id, publicKey: key.publicKey });
    return { outcome: `Added to ${profile.organization} as “${added.name}”, valid until ${new Date(added.validTo).toLocaleDateString()}.` };
  });

/**
 * What ~/.ssh/config does with `key` for `hosts` (those of the user's profiles): the hosts the
 * user's own Host sections give it to already, those only the companion's block names it for (it
 * was written before a server was added), those neither does, and whether Use it for Azure DevOps
 * can do anything: not for a key the block names for every host, nor when the config serves every
 * host, nor for a key the companion cannot name (outside ~/.ssh). From an older companion, which
 * does not say, the key is offered as before.
 */
export function configUse(key: SshKeyInfo, hosts: readonly string[]) {
  const own = key.userConfig?.hosts ?? [];
  const inBlock = key.configuredFor ?? (key.configured ? hosts : []);
  const block = hosts.filter((h) => inBlock.includes(h) && !own.includes(h));
  const missing = hosts.filter((h) => !own.includes(h) && !block.includes(h));
  return { own, block, missing, offer: !key.configured && missing.length > 0 && key.userConfig?.configurable !== false };
}

/**
 * What the section says ~/.ssh/config does with `key` (after the words "~/.ssh/config"), and
 * whether it offers Use it for Azure DevOps. Match rules (`matchFiles`, from `find`) may give ssh a
 * key for any host, and only ssh can tell; so may what `find` did not read (`unreadFiles`: too
 * large, or too many): for the hosts nothing else names the key for, it says it cannot tell, not
 * that the config does not name it.
 */
export function configSays(key: SshKeyInfo, hosts: readonly string[], { matchFiles = [], unreadFiles = [] }: Pick<SshKeyData, 'matchFiles' | 'unreadFiles'> = {}): { says: string; offer: boolean } {
  const { own, block, missing, offer } = configUse(key, hosts);
  const unknowns = [
    ...(matchFiles.length > 0 ? [`Match rules the companion cannot evaluate (in ${list(matchFiles)})`] : []),
    ...(unreadFiles.length > 0 ? [`parts the companion did not read (in ${list(unreadFiles)}: too large, or naming too many files; its log says why)`] : []),
  ];
  const unevaluated = list(unknowns);
  if (key.configured) return { says: 'uses this key for Azure DevOps', offer };
  if (own.length === 0 && block.length === 0) {
    return { says: unknowns.length > 0 ? `has ${unevaluated}, so it cannot tell whether ssh uses this key for Azure DevOps. ` : 'does not name this key for Azure DevOps yet ', offer };
  }
  const parts = [
    own.length > 0 ? `Your ~/.ssh/config already gives ssh this key for ${list(own)}.` : '',
    // The block names it for some hosts only: a server was added since it was written.
    block.length > 0 ? (own.length > 0 ? ` The companion’s block names it for ${list(block)}.` : `uses this key for ${list(block)}.`) : '',
  ];
  if (missing.length > 0 && unknowns.length > 0) {
    parts.push(` For ${list(missing)}, ~/.ssh/config has ${unevaluated}: it cannot tell whether they give ssh this key.`, offer ? ' ' : ' The companion names only keys kept in ~/.ssh.');
  } else if (missing.length > 0) {
    parts.push(offer ? ` Not for ${list(missing)} yet ` : ` Not for ${list(missing)}: the companion names only keys kept in ~/.ssh.`);
  }
  return { says: parts.join(''), offer };
}

const list = (items: readonly string[]) => new Intl.ListFormat('en').format(items);

/** Names the key in the companion's block of ~/.ssh/config, so ssh uses it for Azure DevOps (a key made by hand has no block). */
export const configure = (set: Move, key: SshKeyInfo) =>
  run(set, 'configure', async () => {
    const data = await ask({ type: 'ssh.key', action: 'configure', keyPath: key.privateKeyPath });
    return { data, outcome: `~/.ssh/config now uses this key for ${data.sshConfig ? list(data.sshConfig.hosts) : 'Azure DevOps'}.` };
  });

/** Tries ssh against Azure DevOps: the cloud's, or the server of an Azure DevOps Server profile. */
export const runTest = (set: Move, profile: Profile | undefined) =>
  run(set, 'test', async () => {
    return { test: await ask({ type: 'ssh.test', ...(profile ? { profileId: profile.id } : {}) }) };
  });
