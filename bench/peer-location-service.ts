import type { RequestContext } from '../sandbox/context';
import type { Router } from '../sandbox/router';

/**
 * The two Azure DevOps location-service calls Microsoft's `azure-devops-node-api` makes before
 * any other request, which the sandbox does not serve: `GET {org}/_apis/ResourceAreas` (which host
 * serves an area) and `OPTIONS {org}/_apis/{area}` (each resource's route template and versions).
 * The answers describe only the resources the benchmark uses, with the sandbox's own api-version
 * ceiling, in the shape Azure DevOps answers them. Registered on a benchmark's own sandbox only.
 */

interface Location {
  id: string;
  area: string;
  resourceName: string;
  routeTemplate: string;
}

const AREAS: Record<string, { id: string; locations: Location[] }> = {
  location: {
    id: 'e81700f7-3be2-46de-8624-2eb35882fcaa',
    locations: [{ id: 'e81700f7-3be2-46de-8624-2eb35882fcaa', area: 'Location', resourceName: 'ResourceAreas', routeTemplate: '_apis/{resource}/{areaId}' }],
  },
  core: {
    id: '79134c72-4a58-4b42-976c-04e7115f32bf',
    locations: [{ id: '603fe2ac-9723-48b9-88ad-09305aa6c6e1', area: 'core', resourceName: 'projects', routeTemplate: '_apis/{resource}/{*projectId}' }],
  },
  git: {
    id: '4e080c62-fa21-4fbc-8fef-2a10a2b38049',
    locations: [{ id: '225f7195-f9c7-4d14-ab28-a83f7ff77e1f', area: 'git', resourceName: 'repositories', routeTemplate: '{project}/_apis/{area}/{resource}/{repositoryId}' }],
  },
};

function areaLocations(ctx: RequestContext): void {
  const area = AREAS[(ctx.params.area ?? '').toLowerCase()];
  if (!area) {
    ctx.replyList([]);
    return;
  }
  const version = ctx.organization().maxApiVersion.toFixed(1);
  ctx.replyList(area.locations.map((l) => ({ ...l, resourceVersion: 1, minVersion: '1.0', maxVersion: version, releasedVersion: version })));
}

function resourceAreas(ctx: RequestContext): void {
  const locationUrl = `${ctx.collectionUrl}/`;
  ctx.replyList(Object.entries(AREAS).map(([name, a]) => ({ id: a.id, name, locationUrl })));
}

export function registerPeerLocationService(router: Router): void {
  router.add('OPTIONS', 'collection', '/_apis/{area}', areaLocations, { apiVersion: 'none' });
  router.get('collection', '/_apis/ResourceAreas', resourceAreas, { apiVersion: 'optional' });
}
