import type { FeatureId, FeatureInfo, FeatureSettings, MissingAnchor } from '../../shared/messages';
import { FEATURE_SWITCHES, MISSING_ANCHORS } from '../../shared/storage-keys';
import { unlessHostAccessTaken } from '../errors';
import { inTurns } from '../in-turn';
import type { KeyValue } from '../profile-store';
import { requestProfile, type GatewayDeps, type Handlers } from './types';

/**
 * The injected features' switches (Options shows them) and the log of page anchors that were not
 * found, which tells us when Azure DevOps changed its markup under a feature.
 */
type FeatureRequests = 'features.settings' | 'features.setEnabled' | 'features.clearLog' | 'features.missingAnchor' | 'features.load' | 'options.open';

export const FEATURES: readonly Omit<FeatureInfo, 'enabled'>[] = [
  { id: 'clone-to-desktop', title: 'Clone to desktop', description: 'A button next to Clone that clones the branch you are looking at into your folder layout.' },
  { id: 'forks-as-remotes', title: 'Forks as remotes', description: 'Add the parent or a fork of a repository as a remote of your local clone; fork and clone in one step.' },
  { id: 'pull-request-reviewers', title: 'Pull request reviewers', description: 'Suggested reviewers, your reviewer groups, a reviewer search and a summary of the votes.' },
  { id: 'pull-request-checkout', title: 'Check out pull requests', description: "Check a pull request's branch (or its merge preview) out in your local clone, from a fork too; a new worktree when your clone has changes." },
  { id: 'open-in-editor', title: 'Open in editor', description: 'Open the file you are reading, at its line, in your editor (Options › Editor).' },
  { id: 'start-work', title: 'Start work', description: 'On a work item: a new branch named from Options › Branch names, linked to the item, the item moved to its in-progress state (Active, Committed, Doing…), checked out on your computer.' },
];

/** Enough to see a pattern; old entries fall off. */
const MAX_LOG = 50;

async function read<T>(kv: KeyValue, key: string, fallback: T): Promise<T> {
  const value = (await kv.get([key]))[key];
  return value === undefined ? fallback : (value as T);
}

async function settings(kv: KeyValue): Promise<FeatureSettings> {
  const switches = await read<Partial<Record<FeatureId, boolean>>>(kv, FEATURE_SWITCHES.key, {});
  const log = await read<MissingAnchor[]>(kv, MISSING_ANCHORS.key, []);
  return {
    features: FEATURES.map((f) => ({ ...f, enabled: switches[f.id] !== false })),
    missingAnchors: Array.isArray(log) ? log.toSorted((a, b) => b.lastAt - a.lastAt) : [],
  };
}

const originOf = (url: string | undefined) => {
  try {
    return url ? new URL(url).origin : 'unknown';
  } catch {
    return 'unknown';
  }
};

export function featureHandlers(deps: GatewayDeps): Pick<Handlers, FeatureRequests> {
  const kv = deps.local;
  // Reports arrive together (every feature of a page at once): one read-modify-write at a time.
  const inTurn = inTurns();
  return {
    'features.settings': () => settings(kv),
    'features.setEnabled': (req) => inTurn(async () => {
      const switches = await read<Partial<Record<FeatureId, boolean>>>(kv, FEATURE_SWITCHES.key, {});
      await kv.set({ [FEATURE_SWITCHES.key]: { ...switches, [req.feature]: req.enabled } });
      return settings(kv);
    }),
    'features.clearLog': () => inTurn(async () => {
      await kv.remove([MISSING_ANCHORS.key]);
      return settings(kv);
    }),
    'options.open': async (req, ctx) => {
      if (!deps.openOptions) return { opened: false };
      // A page's token is its own organization's profile's: Profiles opens at that profile's editor, where it is replaced.
      const profileId = ctx.from === 'content' ? (await requestProfile(deps, undefined, ctx).catch(() => undefined))?.id : req.profileId;
      await deps.openOptions(req.section, profileId);
      return { opened: true };
    },
    'features.load': async (_req, ctx) => {
      // Only into the frame that asked, and only our own file: a page gains nothing it did not have.
      if (!ctx.tab || !deps.injectFeatures) throw new Error("The extension's features can load only into an Azure DevOps page. Reload the page and try again.");
      await deps.injectFeatures(ctx.tab.tabId, ctx.tab.frameId).catch(async (e: unknown) => {
        // A page still open on a server whose access was taken back: the browser refuses, in its own words.
        throw await unlessHostAccessTaken(e, ctx.senderUrl, deps.hostAccess);
      });
      return { loaded: true };
    },
    'features.missingAnchor': (req, ctx) => inTurn(async () => {
      const log = await read<MissingAnchor[]>(kv, MISSING_ANCHORS.key, []);
      const origin = originOf(ctx.senderUrl);
      const same = (e: MissingAnchor) => e.feature === req.feature && e.page === req.page && e.origin === origin && e.selectors.join('\n') === req.selectors.join('\n');
      const now = deps.now();
      const seen = log.find(same);
      const entry: MissingAnchor = seen
        ? { ...seen, count: seen.count + 1, lastAt: now }
        : { feature: req.feature, page: req.page, selectors: req.selectors, origin, count: 1, firstAt: now, lastAt: now };
      const next = [entry, ...log.filter((e) => !same(e))].slice(0, MAX_LOG);
      await kv.set({ [MISSING_ANCHORS.key]: next });
      return { recorded: true };
    }),
  };
}
