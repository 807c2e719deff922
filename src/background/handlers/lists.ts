import { onPremServers } from '../../shared/profile';
import { clientOf } from '../connections';
import { fetchers, listing } from '../lists';
import { pageSessionApi } from '../page-session';
import { pageProfile, profileOrThrow, requestProfile, type GatewayDeps, type Handlers } from './types';

export function listHandlers(deps: GatewayDeps): Pick<Handlers, 'ping' | 'projects.list' | 'repos.list' | 'page.context'> {
  return {
    ping: async (_req, { from }) => ({ version: deps.version, sender: from }),
    'projects.list': async (req, ctx) => {
      const p = await requestProfile(deps, req.profileId, ctx);
      if (!p) {
        // A page of an organization without a profile: read with the page's own session, kept nowhere.
        const items = await fetchers.projects((await pageSessionApi(deps, ctx)).api);
        return { items, fetchedAt: deps.now(), stale: false, profileId: '' };
      }
      return listing('projects', p.id, { refresh: req.refresh, kv: deps.local, client: () => clientOf(deps, p, ctx), now: deps.now });
    },
    'repos.list': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      return listing('repos', p.id, { refresh: req.refresh, kv: deps.local, client: () => clientOf(deps, p, ctx), now: deps.now });
    },
    'page.context': async (_req, { senderUrl }) => {
      const { profile: p, profiles } = await pageProfile(deps, senderUrl);
      const onPremHosts = onPremServers(profiles);
      const profile = p && { id: p.id, name: p.name, organization: p.organization, protocol: p.protocol, layout: p.layout, ...(p.cloneRoot ? { cloneRoot: p.cloneRoot } : {}) };
      return { onPremHosts, ...(profile ? { profile } : {}) };
    },
  };
}
