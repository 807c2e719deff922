import { afterEach, describe, expect, it } from 'vitest';
import type { SshKeyData } from '../../src/shared/host-protocol';
import type { Request } from '../../src/shared/messages';
import { begin, configSays, configUse, configure, failed, load, said, type Shown, type SshState } from '../../src/options/ssh-state';

const key = { privateKeyPath: '/home/ada/.ssh/id_rsa', publicKeyPath: '/home/ada/.ssh/id_rsa.pub', publicKey: 'ssh-rsa AAAA ada', fingerprint: 'SHA256:x', configured: true };
const error = { code: 'companion.stopped', message: 'The desktop companion stopped unexpectedly.' };
const test = { ok: true, summary: 'ssh reached Azure DevOps with this key.', detail: '' };
/** A key shown, after an add that said so and a test. */
const shown: Shown = { kind: 'shown', data: { key }, outcome: 'Added to fabrikam as “ada”.', test };

describe('Options › SSH key: the moves between states', () => {
  it('an action starting disables the buttons and drops the last failure, and the result it replaces, not the others', () => {
    const withFailure: Shown = { ...shown, failed: { error, again: 'add' } };
    expect(begin(withFailure, 'add')).toEqual({ kind: 'shown', data: { key }, busy: 'add', outcome: undefined, test, failed: undefined });
    expect(begin(withFailure, 'configure')).toEqual({ kind: 'shown', data: { key }, busy: 'configure', outcome: undefined, test, failed: undefined });
    expect(begin(withFailure, 'test')).toEqual({ kind: 'shown', data: { key }, busy: 'test', outcome: shown.outcome, test: undefined, failed: undefined });
    // Looking again (a profile with a new server) leaves what the actions said, a failure too.
    expect(begin(withFailure, 'find')).toEqual({ ...withFailure, busy: 'find' });
  });

  it('a first look shows Looking…, and so does a look again after a failure (its note and Try again go)', () => {
    expect(begin({ kind: 'looking' }, 'find')).toEqual({ kind: 'looking' });
    expect(begin({ kind: 'lookFailed', error }, 'find')).toEqual({ kind: 'looking' });
  });

  it('a key found shows it, and keeps what the actions said; a look that fails replaces the key with its note', () => {
    const other = { ...key, publicKey: 'ssh-rsa BBBB ada', configured: false };
    expect(said({ kind: 'looking' }, { busy: undefined, data: { key: null } })).toEqual({ kind: 'shown', busy: undefined, data: { key: null } });
    expect(said({ kind: 'lookFailed', error }, { busy: undefined, data: { key } })).toEqual({ kind: 'shown', busy: undefined, data: { key } });
    expect(said({ ...shown, busy: 'find' }, { busy: undefined, data: { key: other } })).toEqual({ ...shown, busy: undefined, data: { key: other } });
    expect(failed({ ...shown, busy: 'find' }, 'find', error)).toEqual({ kind: 'lookFailed', error });
  });

  it('an action that fails keeps the key, frees the buttons, and remembers itself for Try again', () => {
    expect(failed({ ...shown, busy: 'configure' }, 'configure', error)).toEqual({ ...shown, busy: undefined, failed: { error, again: 'configure' } });
    expect(failed({ kind: 'shown', data: { key: null }, busy: 'generate' }, 'generate', error)).toEqual({ kind: 'shown', data: { key: null }, busy: undefined, failed: { error, again: 'generate' } });
  });
});

/** The background's replies, by request, as `ask` receives them. */
function background(reply: (request: Request) => unknown) {
  (globalThis as { chrome?: unknown }).chrome = { runtime: { sendMessage: async (request: Request) => reply(request) } };
}

/** The states `load(…, 'generate')` moves through from no key. */
async function generate(): Promise<SshState[]> {
  let state: SshState = { kind: 'shown', data: { key: null } };
  const states: SshState[] = [];
  await load((move) => states.push((state = move(state))), 'generate');
  return states;
}

describe('Options › SSH key: Create an RSA key', () => {
  afterEach(() => delete (globalThis as { chrome?: unknown }).chrome);

  it('a key made already (KEY_EXISTS) is looked for and shown as it is, with why, not as a failure', async () => {
    const found: SshKeyData = { key };
    background((r) => (r.type === 'ssh.key' && r.action === 'find' ? { ok: true, data: found } : { ok: false, error: { code: 'companion.KEY_EXISTS', message: 'exists' } }));
    expect(await generate()).toEqual([
      { kind: 'shown', data: { key: null }, busy: 'generate', failed: undefined },
      { kind: 'shown', data: found, busy: undefined, failed: undefined, outcome: 'An RSA key was there already, so no new one was made: it is shown above, left as it was.' },
    ]);
  });

  it('KEY_EXISTS with no key to be found after all is the failure it was, with Try again creating', async () => {
    const exists = { code: 'companion.KEY_EXISTS', message: 'exists' };
    background((r) => (r.type === 'ssh.key' && r.action === 'find' ? { ok: true, data: { key: null } } : { ok: false, error: exists }));
    expect((await generate()).at(-1)).toEqual({ kind: 'shown', data: { key: null }, busy: undefined, failed: { error: exists, again: 'generate' } });
  });
});

/** The background, answering each request when the test says so, in the order they came. */
function held() {
  const asked: { request: Request; answer: (reply: unknown) => void }[] = [];
  (globalThis as { chrome?: unknown }).chrome = {
    runtime: { sendMessage: (request: Request) => new Promise((answer) => asked.push({ request, answer })) },
  };
  return asked;
}
const settled = () => new Promise((r) => setTimeout(r));

describe('Options › SSH key: a look while an action runs', () => {
  afterEach(() => delete (globalThis as { chrome?: unknown }).chrome);

  it('waits for the action: the buttons stay disabled until it ends, then the look runs and has the last word', async () => {
    const asked = held();
    const unconfigured = { ...key, configured: false };
    let state: SshState = { kind: 'shown', data: { key: unconfigured } };
    const states: SshState[] = [];
    const set = (move: (s: SshState) => SshState) => states.push((state = move(state)));
    const configuring = configure(set, unconfigured);
    // An account added meanwhile: its hosts are looked for again.
    const looking = load(set, 'find');
    await settled();
    expect(asked.map((a) => a.request.type === 'ssh.key' && a.request.action)).toEqual(['configure']);
    expect(states.map((s) => s.kind === 'shown' && s.busy)).toEqual(['configure']);

    asked[0]!.answer({ ok: true, data: { key, sshConfig: { path: '/home/ada/.ssh/config', changed: true, hosts: ['ssh.dev.azure.com'] } } });
    await configuring;
    await settled();
    // Only now is the look asked for, and the buttons wait for it in turn.
    expect(asked.map((a) => a.request.type === 'ssh.key' && a.request.action)).toEqual(['configure', 'find']);
    expect(states.map((s) => s.kind === 'shown' && s.busy)).toEqual(['configure', undefined, 'find']);
    const found = { ...key, configured: false };
    asked[1]!.answer({ ok: true, data: { key: found } });
    await looking;
    expect(state).toEqual({ kind: 'shown', data: { key: found }, busy: undefined, failed: undefined, outcome: '~/.ssh/config now uses this key for ssh.dev.azure.com.' });
  });

  it('an action that fails keeps its note through the look that waited for it', async () => {
    const asked = held();
    let state: SshState = { kind: 'shown', data: { key } };
    const set = (move: (s: SshState) => SshState) => void (state = move(state));
    const configuring = configure(set, key);
    const looking = load(set, 'find');
    await settled();
    asked[0]!.answer({ ok: false, error });
    await configuring;
    await settled();
    asked[1]!.answer({ ok: true, data: { key } });
    await looking;
    expect(state).toEqual({ kind: 'shown', data: { key }, busy: undefined, failed: { error, again: 'configure' }, outcome: undefined });
  });
});

describe('Options › SSH key: what ~/.ssh/config does with the key', () => {
  const cloud = ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'];
  const unconfigured = { ...key, configured: false };

  it('a key the user’s own config gives ssh for every host is not offered to the block; for some, only when the companion can name it', () => {
    expect(configUse({ ...unconfigured, userConfig: { hosts: cloud, configurable: true } }, cloud)).toEqual({ own: cloud, block: [], missing: [], offer: false });
    expect(configUse({ ...unconfigured, userConfig: { hosts: ['ssh.dev.azure.com'], configurable: false } }, cloud)).toEqual({ own: ['ssh.dev.azure.com'], block: [], missing: ['vs-ssh.visualstudio.com'], offer: false });
    expect(configUse({ ...unconfigured, userConfig: { hosts: ['ssh.dev.azure.com'], configurable: true } }, cloud)).toEqual({ own: ['ssh.dev.azure.com'], block: [], missing: ['vs-ssh.visualstudio.com'], offer: true });
    // A server added: the cloud pair served by the user's config does not serve it.
    expect(configUse({ ...unconfigured, userConfig: { hosts: cloud, configurable: true } }, [...cloud, 'tfs.contoso.com']).offer).toBe(true);
  });

  it('a block written before a server was added: the hosts it names the key for, and the server it does not', () => {
    const withServer = [...cloud, 'tfs.contoso.com'];
    expect(configUse({ ...unconfigured, configuredFor: cloud }, withServer)).toEqual({ own: [], block: cloud, missing: ['tfs.contoso.com'], offer: true });
    // The user's own section for one host, the block for the other: only the server is missing.
    const both = { ...unconfigured, configuredFor: cloud, userConfig: { hosts: ['ssh.dev.azure.com'], configurable: true } };
    expect(configUse(both, withServer)).toEqual({ own: ['ssh.dev.azure.com'], block: ['vs-ssh.visualstudio.com'], missing: ['tfs.contoso.com'], offer: true });
    // A host the profiles no longer have is not shown.
    expect(configUse({ ...unconfigured, configuredFor: withServer }, ['tfs.contoso.com', 'tfs.fabrikam.test'])).toMatchObject({ block: ['tfs.contoso.com'], missing: ['tfs.fabrikam.test'] });
  });

  it('a key the block names is not offered; one from an older companion, which does not say, is offered as before', () => {
    expect(configUse({ ...key, userConfig: { hosts: ['ssh.dev.azure.com'], configurable: true } }, cloud).offer).toBe(false);
    expect(configUse(key, cloud)).toEqual({ own: [], block: cloud, missing: [], offer: false });
    expect(configUse(unconfigured, cloud)).toEqual({ own: [], block: [], missing: cloud, offer: true });
  });
});

describe('Options › SSH key: what it says of ~/.ssh/config, Match rules too', () => {
  const cloud = ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'];
  const unconfigured = { ...key, configured: false };
  const matchFiles = ['/home/ada/.ssh/config', '/home/ada/.ssh/conf.d/work'];
  const unevaluated = 'Match rules the companion cannot evaluate (in /home/ada/.ssh/config and /home/ada/.ssh/conf.d/work)';

  it('without Match rules: as it was, “not … yet” where nothing names the key', () => {
    expect(configSays(key, cloud)).toEqual({ says: 'uses this key for Azure DevOps', offer: false });
    expect(configSays(unconfigured, cloud)).toEqual({ says: 'does not name this key for Azure DevOps yet ', offer: true });
    const own = { ...unconfigured, userConfig: { hosts: ['ssh.dev.azure.com'], configurable: true } };
    expect(configSays(own, cloud)).toEqual({ says: 'Your ~/.ssh/config already gives ssh this key for ssh.dev.azure.com. Not for vs-ssh.visualstudio.com yet ', offer: true });
    expect(configSays({ ...own, userConfig: { hosts: ['ssh.dev.azure.com'], configurable: false } }, cloud)).toEqual({
      says: 'Your ~/.ssh/config already gives ssh this key for ssh.dev.azure.com. Not for vs-ssh.visualstudio.com: the companion names only keys kept in ~/.ssh.',
      offer: false,
    });
    expect(configSays({ ...unconfigured, configuredFor: cloud }, [...cloud, 'tfs.contoso.com']).says).toBe('uses this key for ssh.dev.azure.com and vs-ssh.visualstudio.com. Not for tfs.contoso.com yet ');
  });

  it('with Match rules it says it cannot tell for the hosts nothing else names the key for, and still offers the block', () => {
    expect(configSays(unconfigured, cloud, { matchFiles })).toEqual({ says: `has ${unevaluated}, so it cannot tell whether ssh uses this key for Azure DevOps. `, offer: true });
    const own = { ...unconfigured, userConfig: { hosts: ['ssh.dev.azure.com'], configurable: true } };
    expect(configSays(own, cloud, { matchFiles })).toEqual({
      says: `Your ~/.ssh/config already gives ssh this key for ssh.dev.azure.com. For vs-ssh.visualstudio.com, ~/.ssh/config has ${unevaluated}: it cannot tell whether they give ssh this key. `,
      offer: true,
    });
    expect(configSays({ ...own, userConfig: { hosts: ['ssh.dev.azure.com'], configurable: false } }, cloud, { matchFiles }).says).toBe(
      `Your ~/.ssh/config already gives ssh this key for ssh.dev.azure.com. For vs-ssh.visualstudio.com, ~/.ssh/config has ${unevaluated}: it cannot tell whether they give ssh this key. The companion names only keys kept in ~/.ssh.`,
    );
    // Nothing missing: what is named is so, whatever a Match adds.
    expect(configSays(key, cloud, { matchFiles })).toEqual({ says: 'uses this key for Azure DevOps', offer: false });
    expect(configSays({ ...unconfigured, userConfig: { hosts: cloud, configurable: true } }, cloud, { matchFiles }).says).toBe('Your ~/.ssh/config already gives ssh this key for ssh.dev.azure.com and vs-ssh.visualstudio.com.');
  });

  it('with files find did not read (too large, or Includes naming too many) it says it cannot tell, alone or with Match rules', () => {
    const unreadFiles = ['/home/ada/.ssh/config'];
    const unread = 'parts the companion did not read (in /home/ada/.ssh/config: too large, or naming too many files; its log says why)';
    expect(configSays(unconfigured, cloud, { unreadFiles })).toEqual({ says: `has ${unread}, so it cannot tell whether ssh uses this key for Azure DevOps. `, offer: true });
    expect(configSays(unconfigured, cloud, { matchFiles, unreadFiles }).says).toBe(`has ${unevaluated} and ${unread}, so it cannot tell whether ssh uses this key for Azure DevOps. `);
    const own = { ...unconfigured, userConfig: { hosts: ['ssh.dev.azure.com'], configurable: true } };
    expect(configSays(own, cloud, { unreadFiles }).says).toBe(
      `Your ~/.ssh/config already gives ssh this key for ssh.dev.azure.com. For vs-ssh.visualstudio.com, ~/.ssh/config has ${unread}: it cannot tell whether they give ssh this key. `,
    );
    expect(configSays(key, cloud, { unreadFiles })).toEqual({ says: 'uses this key for Azure DevOps', offer: false });
  });
});
