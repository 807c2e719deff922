import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishOAuth, startOAuth } from '../../src/background/accounts';
import { accountDeps } from './account-deps';
import { createProfileStore, memoryKeyValue } from '../../src/background/profile-store';
import { Profile } from '../../src/shared/profile';
import * as registry from '../../src/shared/storage-keys';
import type { StoredKey } from '../../src/shared/storage-keys';

/**
 * src/shared/storage-keys.ts is the one list of what the extension stores. These tests hold the
 * code to it: storage is read and written only under keys it makes, no other module spells a key,
 * and a token is written only under a key it marks secret.
 */

const repoRoot = path.resolve(import.meta.dirname, '../..');
const REGISTRY_FILE = 'src/shared/storage-keys.ts';

const entries = Object.entries(registry as Record<string, unknown>).filter((e): e is [string, StoredKey] => typeof e[1] === 'object' && e[1] !== null && 'area' in e[1]);

/** A key of the entry: its own, or one of its family's with a stand-in for every argument. */
const sampleKey = (e: StoredKey, arg = 'x') => (typeof e.key === 'string' ? e.key : (e.key as (...a: string[]) => string)(arg, arg));
/** What every key of a family starts with (none for a single key). */
const prefixOf = (e: StoredKey) => (typeof e.key === 'string' ? undefined : sampleKey(e, '\u0000').split('\u0000')[0]!);
/** The registry entries a stored key belongs to. */
const entriesOf = (key: string) => entries.filter(([, e]) => (typeof e.key === 'string' ? e.key === key : key.startsWith(prefixOf(e)!)));

describe('the storage key registry', () => {
  it('keeps the key strings users’ data is stored under', () => {
    expect(Object.fromEntries(entries.map(([name, e]) => [name, sampleKey(e, 'ID')]))).toEqual({
      PROFILES: 'profiles',
      ACTIVE_PROFILE: 'activeProfileId',
      PROFILE_SECRET: 'secret:ID',
      REVIEWER_GROUPS: 'reviewerGroups',
      OAUTH_SETTINGS: 'settings:oauth',
      EDITOR_SETTING: 'settings:editor',
      BRANCH_TEMPLATE_SETTING: 'settings:branchTemplate',
      START_WORK_REPO: 'startWork:lastRepo:ID:id',
      MOVED_FROM_STORAGE_LOCAL: 'movedFromStorageLocal',
      FEATURE_SWITCHES: 'featureSwitches',
      MISSING_ANCHORS: 'featureMissingAnchors',
      PENDING_SIGN_IN: 'pendingSignIn:ID',
      CACHED_LIST: 'cache:ID:ID',
      POPUP_SNAPSHOT: 'popup.snapshot',
      POPUP_PROFILE: 'popup.profile',
      NEW_REPO_PROJECT: 'newRepo.project:ID',
      NEW_REPO_DRAFT: 'newRepo.draft:ID',
      NEW_PR_DRAFT: 'newPr.draft:ID:ID',
      START_WORK_DRAFT: 'startWork.draft:ID:ID',
      OUR_NEW_REPO: 'newRepo:ID',
      REVIEWERS_SCROLL: 'adoc-reviewers-scroll',
    });
  });

  it('gives every key one entry, and sends only the cached lists to `cached-lists`', () => {
    for (const [name, e] of entries) {
      expect(entriesOf(sampleKey(e)).map(([n]) => n), name).toEqual([name]);
      // The worker routes keys by this test alone (background/cached-lists.ts).
      expect(registry.isCachedListKey(sampleKey(e)), name).toBe(e.area === 'IndexedDB cached-lists');
    }
  });

  it('keeps nothing in storage.local, which content scripts can write in Firefox', () => {
    expect(entries.filter(([, e]) => (e.area as string) === 'storage.local')).toEqual([]);
    // What the worker keeps, in its own database (background/worker-store.ts).
    expect(entries.filter(([, e]) => e.area === 'IndexedDB worker').map(([n]) => n)).toEqual([
      'PROFILES',
      'ACTIVE_PROFILE',
      'REVIEWER_GROUPS',
      'OAUTH_SETTINGS',
      'EDITOR_SETTING',
      'BRANCH_TEMPLATE_SETTING',
      'START_WORK_REPO',
      'MOVED_FROM_STORAGE_LOCAL',
      'FEATURE_SWITCHES',
      'MISSING_ANCHORS',
    ]);
  });

  it('keeps secrets only in the worker’s storage', () => {
    const secret = entries.filter(([, e]) => e.secret);
    expect(secret.map(([n]) => n)).toEqual(['PENDING_SIGN_IN', 'PROFILE_SECRET']);
    // storage.local is out: content scripts can read it (Firefox has no switch to stop them).
    for (const [name, e] of secret) expect(['IndexedDB secrets', 'storage.session'], name).toContain(e.area);
  });
});

// ---------------------------------------------------------------------------------------------
// The code against the registry.

function* sources(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(rel);
    else if (/\.tsx?$/.test(entry.name)) yield rel;
  }
}

/** The text between the bracket at `open` and its partner. */
function bracketed(text: string, open: number): string {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const closing: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c in pairs) closing.push(pairs[c]!);
    else if (c === closing.at(-1)) closing.pop();
    if (closing.length === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** `a, f(b, c), [d]` → ['a', 'f(b, c)', '[d]']. */
function topLevel(list: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === separator && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/**
 * The keys a file hands to storage: `kv.get([…])`/`kv.remove([…])`, `kv.set({ [k]: … })`,
 * `getItem`/`setItem`/`removeItem` of the Web Storage areas, and `k in changes` of storage.onChanged.
 */
function storageKeysIn(text: string): string[] {
  const keys: string[] = [];
  for (const m of text.matchAll(/\.(?:get|remove)\(\s*\[|\.set\(\s*\{|\b(?:getItem|setItem|removeItem)\(/g)) {
    const open = m.index + m[0].length - 1;
    const inside = bracketed(text, open);
    if (text[open] === '(') keys.push(topLevel(inside, ',')[0] ?? '');
    else if (text[open] === '[') keys.push(...topLevel(inside, ','));
    else {
      // `{ [k]: v }` names its key by `k`; `{ name: v }` by the literal name.
      const names = topLevel(inside, ',').map((prop) => topLevel(prop, ':')[0]!);
      keys.push(...names.map((n) => (n.startsWith('[') ? n.slice(1, -1).trim() : `'${n}'`)));
    }
  }
  for (const m of text.matchAll(/([\w.'"`]+)\s+in\s+changes\b/g)) keys.push(m[1]!);
  return keys;
}

/** What a file does that the registry forbids; nothing for a file that names keys only through it. */
function problems(source: string): string[] {
  // Comments may name keys; `://` is a URL in a string, not a comment.
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const imported = new Set([...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'[./]*(?:shared\/)?storage-keys'/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim())));
  const found: string[] = [];
  const keys = storageKeysIn(text);
  for (const key of keys) {
    const entry = /^([A-Z][A-Z0-9_]*)\.key\b/.exec(key)?.[1];
    // A registry entry's key, or a variable holding one (its making is what this test checks).
    const fine = entry ? imported.has(entry) : /^[a-z]\w*$/.test(key);
    if (!fine) found.push(`key ${key} does not come from storage-keys.ts`);
  }
  for (const m of text.matchAll(/^(?:export )?const (\w*key\w*)\s*=\s*(?:\([^)]*\)\s*=>\s*)?['"`]/gim)) found.push(`key constant ${m[1]}`);
  for (const m of text.matchAll(/(['"`])((?:(?!\1)[^\\\n])*)\1/g)) {
    const literal = m[2]!;
    // A word like 'profiles' is a key only where storage is used; a family's prefix is a key anywhere.
    const owner = entries.find(([, e]) => (typeof e.key === 'string' ? keys.length > 0 && literal === e.key : literal.startsWith(prefixOf(e)!)));
    if (owner) found.push(`${m[0]} spells ${owner[0]}'s key`);
  }
  return found;
}

describe('the code names stored keys only through the registry', () => {
  const files = [...sources('src')].filter((f) => f !== REGISTRY_FILE && !f.startsWith('src/host/'));

  it('catches a key the registry does not make', () => {
    expect(problems("await kv.get(['theme']);")).toHaveLength(1);
    expect(problems('await kv.set({ theme: 1 });')).toHaveLength(1);
    expect(problems("const THEME = 'theme';\nkv.remove([THEME]);")).toHaveLength(1);
    expect(problems("const SCROLL_KEY = 'scroll';\nsessionStorage.setItem(SCROLL_KEY, '1');")).toHaveLength(2);
    expect(problems('const lastKey = (id: string) => `last:${id}`;')).toHaveLength(1);
    expect(problems("if ('profiles' in changes) sync();")).toHaveLength(2);
    expect(problems("import { PROFILES } from '../shared/storage-keys';\nif (PROFILES.key in changes) sync();\nkv.get([PROFILES.key, key]);")).toEqual([]);
    expect(problems('kv.get([POPUP_PROFILE.key]);')).toHaveLength(1);
  });

  it('finds the storage calls it checks', () => {
    const using = files.filter((f) => storageKeysIn(fs.readFileSync(path.join(repoRoot, f), 'utf8')).length > 0);
    expect(using).toEqual(expect.arrayContaining(['src/background/worker-store.ts', 'src/background/profile-store.ts', 'src/background/accounts.ts', 'src/popup/snapshot.ts', 'src/content/pull-request-reviewers.ts']));
  });

  it.each(files)('%s', (file) => {
    expect(problems(fs.readFileSync(path.join(repoRoot, file), 'utf8'))).toEqual([]);
  });

  it('has no entry the code no longer uses', () => {
    const code = files.map((f) => fs.readFileSync(path.join(repoRoot, f), 'utf8')).join('\n');
    for (const [name] of entries) expect(code, name).toMatch(new RegExp(`\\b${name}\\.key\\b`));
  });
});

/** The keys of `kv` whose value holds a token; every key is checked to be the registry's, marked secret exactly when it holds one. */
function keysHoldingTokens(kv: ReturnType<typeof memoryKeyValue>): string[] {
  const holding = [...kv.data].filter(([, value]) => JSON.stringify(value).includes('TOKEN-')).map(([key]) => key);
  for (const [key] of kv.data) {
    const owners = entriesOf(key);
    expect(owners, key).toHaveLength(1);
    expect(owners[0]![1].secret, key).toBe(holding.includes(key));
  }
  return holding.toSorted();
}

const aProfile = (id: string, auth: 'pat' | 'oauth') => Profile.parse({ id, name: id, organization: id, host: { kind: 'cloud' }, auth });
const json = (body: object) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

describe('secrets are stored only under keys the registry marks secret', () => {
  it('the profile store writes tokens only under a secret key', async () => {
    const kv = memoryKeyValue();
    const store = createProfileStore(kv);
    await store.save(aProfile('p1', 'pat'), { kind: 'pat', pat: 'TOKEN-pat' });
    await store.save(aProfile('p2', 'oauth'), { kind: 'oauth', accessToken: 'TOKEN-access', refreshToken: 'TOKEN-refresh', expiresAt: 1 });
    await store.setSecret('p2', { kind: 'oauth', accessToken: 'TOKEN-access2', expiresAt: 2 });
    await store.setActive('p2');
    expect(keysHoldingTokens(kv)).toEqual(['secret:p1', 'secret:p2']);
  });

  it('a Microsoft sign-in keeps its tokens under a secret key until they move to the profile’s', async () => {
    const local = memoryKeyValue();
    const session = memoryKeyValue();
    // Entra and Azure DevOps, each answering the one call the sign-in makes of it.
    const fetch = (async (input: RequestInfo | URL) => {
      const url = new URL(String(input));
      if (url.pathname.endsWith('/oauth2/v2.0/token')) return json({ access_token: 'TOKEN-access', refresh_token: 'TOKEN-refresh', expires_in: 3600 });
      if (url.pathname.endsWith('/_apis/profile/profiles/me')) return json({ id: 'me', displayName: 'Ada', emailAddress: 'ada@fabrikam.test' });
      if (url.pathname.endsWith('/_apis/accounts')) return json({ count: 1, value: [{ accountId: 'a1', accountName: 'fabrikam' }] });
      if (url.pathname.endsWith('/_apis/connectionData')) return json({ authenticatedUser: { id: 'u1' }, instanceId: 'i1' });
      throw new Error(`unexpected ${url}`);
    }) as typeof globalThis.fetch;
    const deps = accountDeps(fetch, { local, session });
    const started = await startOAuth(deps);
    expect(keysHoldingTokens(session)).toEqual([`pendingSignIn:${started.pending}`]);
    const { profile } = await finishOAuth(started.pending, 'fabrikam', deps);
    expect(keysHoldingTokens(session)).toEqual([]);
    expect(keysHoldingTokens(local)).toEqual([`secret:${profile.id}`]);
  });
});

describe('where tokens are kept', () => {
  // Tokens, profiles and settings are in the extension's IndexedDB, which Chromium browsers may clear
  // under disk pressure unless the extension may store without limit (Firefox never evicts an
  // extension's origin, and would ask the user): SECURITY.md, *How durable that is*.
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'manifest.json'), 'utf8')) as Record<string, string[]>;
  it('is kept under disk pressure in Chromium browsers, and Firefox is not asked', () => {
    expect(manifest['{{chrome}}.permissions']).toContain('unlimitedStorage');
    expect(manifest['{{firefox}}.permissions']).not.toContain('unlimitedStorage');
    // Otherwise the same permissions.
    expect(manifest['{{chrome}}.permissions']!.filter((p) => p !== 'unlimitedStorage')).toEqual(manifest['{{firefox}}.permissions']);
  });
});
