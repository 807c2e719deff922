import { cloneRootProblem, layoutProblem, Profile, PROFILES_FORMAT, readProfilesExport } from '../../shared/profile';
import { addPatProfile, finishOAuth, forgetSignIn, sameAccount, startOAuth } from '../accounts';
import { fromCacheEntry } from '../../shared/list-cache';
import { CACHED_LIST, OUR_NEW_REPO, START_WORK_REPO } from '../../shared/storage-keys';
import { dropCaches } from '../lists';
import { removeGroupsOf } from '../reviewer-groups';
import { oauthConfig, setOAuthConfig } from '../settings';
import { profileOrThrow, type GatewayDeps, type Handlers } from './types';

type ProfileRequests = 'profiles.list' | 'profiles.addPat' | 'profiles.cancelAdd' | 'profiles.signIn' | 'profiles.finishSignIn' | 'profiles.holdSignIn' | 'profiles.update'
  | 'profiles.remove' | 'profiles.setActive' | 'profiles.export' | 'profiles.import' | 'settings.get' | 'settings.setOAuth';

export function profileHandlers(deps: GatewayDeps): Pick<Handlers, ProfileRequests> {
  const { store } = deps;
  const listProfiles = () => store.snapshot();
  const settings = async () => {
    const c = await oauthConfig(deps.local);
    return { oauth: { clientId: c.clientId, tenant: c.tenant, configured: c.clientId !== '' } };
  };
  // Token checks that may be cancelled, by their asker's task id; as with clones, a cancel may
  // overtake its check on the way in, and then stops it as it starts.
  const checks = new Map<string, AbortController>();
  const cancelledEarly = new Set<string>();
  return {
    'profiles.list': listProfiles,
    'profiles.addPat': async ({ taskId, ...input }, ctx) => {
      const check = new AbortController();
      // Closing the page that asked abandons the add, as its Cancel does: no account appears that
      // nobody saw added. (Asked through a port; a plain message cannot tell that its page went.)
      if (ctx.askerGone?.aborted) check.abort();
      ctx.askerGone?.addEventListener('abort', () => check.abort(), { once: true });
      if (taskId === undefined) return addPatProfile(input, deps, check.signal);
      if (cancelledEarly.delete(taskId)) check.abort();
      checks.set(taskId, check);
      try {
        return await addPatProfile(input, deps, check.signal);
      } finally {
        checks.delete(taskId);
      }
    },
    'profiles.cancelAdd': async ({ taskId }) => {
      const check = checks.get(taskId);
      if (check) return check.abort();
      cancelledEarly.add(taskId);
      setTimeout(() => cancelledEarly.delete(taskId), 60_000);
    },
    'profiles.signIn': () => startOAuth(deps),
    'profiles.finishSignIn': (req) => finishOAuth(req.pending, req.organization, deps),
    // Closing Options at the choice sends nothing: the port's end is the only word of it.
    'profiles.holdSignIn': async (req, ctx) => {
      const gone = ctx.askerGone;
      if (!gone) throw new Error('profiles.holdSignIn is asked through a port.');
      if (!gone.aborted) await new Promise((resolve) => gone.addEventListener('abort', resolve, { once: true }));
      return forgetSignIn(req.pending, deps);
    },
    'profiles.update': async (req, ctx) => {
      const { cloneRoot, ...patch } = req.patch;
      // As Options checks them: another page (or an older Options) may send what it would refuse.
      const problem = (cloneRoot && cloneRootProblem(cloneRoot)) || (patch.layout !== undefined && layoutProblem(patch.layout));
      if (problem) throw new Error(problem);
      const { cloneRoot: was, ...profile } = await profileOrThrow(deps, req.id, ctx);
      const root = cloneRoot === undefined ? was : (cloneRoot ?? undefined);
      const next = Profile.parse({ ...profile, ...patch, ...(root !== undefined && { cloneRoot: root }) });
      await store.save(next);
      return next;
    },
    'profiles.remove': async (req) => {
      await store.remove(req.id);
      // What was kept for it goes too: Start work's last repository per project (the projects it
      // had listed), and the repositories created from this browser.
      const projects = fromCacheEntry<{ id: string }>('projects', (await deps.local.get([CACHED_LIST.key(req.id, 'projects')]))[CACHED_LIST.key(req.id, 'projects')], req.id, deps.now());
      await deps.local.remove((projects?.items ?? []).map((project) => START_WORK_REPO.key(req.id, project.id)));
      await deps.session.remove([OUR_NEW_REPO.key(req.id)]);
      await dropCaches(deps.local, [req.id]);
      await removeGroupsOf(deps.local, req.id);
      return listProfiles();
    },
    'profiles.setActive': async (req) => {
      await store.setActive(req.id);
      return listProfiles();
    },
    'profiles.export': async () => JSON.stringify({ format: PROFILES_FORMAT, profiles: await store.list() }, null, 2),
    'profiles.import': async (req) => {
      const { profiles, skipped } = readProfilesExport(req.json);
      const existing = await store.list();
      // Imported profiles carry no secret: they ask for sign-in on first use. One this browser has
      // already, under its id or as the same account by the same name (another computer's export),
      // is not added a second time; a second profile of an account under a name of its own may be
      // meant (scoped differently), as when added by hand.
      // The file's own earlier entries count too: one listed twice is added once.
      for (const p of profiles) {
        if (existing.some((e) => e.id === p.id || (sameAccount(e, p) && e.name === p.name))) continue;
        await store.save(p);
        existing.push(p);
      }
      return { ...(await listProfiles()), skipped };
    },
    'settings.get': settings,
    'settings.setOAuth': async (req) => {
      await setOAuthConfig(deps.local, req);
      return settings();
    },
  };
}
