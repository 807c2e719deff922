import { accountNames } from '../account-names';
import { z } from 'zod';
import type { RequestContext } from '../context';
import { stableGuid } from '../ids';
import type { Router } from '../router';
import type { Group, Organization, User } from '../store';
import { teamAsGroup } from './identity-lookup';
import { bodyOf } from './route-helpers';

/**
 * `POST {org}/_apis/IdentityPicker/Identities?api-version=7.1-preview.1` (undocumented; what the
 * web UI's people pickers use). Scope `ims` finds the organization's members, groups and teams
 * (with `localId`, the id a reviewer needs); scope `source` also finds people of the
 * organization's Entra tenant who were never added (no `localId`).
 */
export function registerIdentityPicker(router: Router): void {
  router.post('collection', '/_apis/IdentityPicker/Identities', pick, { scope: 'vso.identity', preview: true });
}

const lower = (v: unknown) => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x.toLowerCase() : x)) : v);

const pickSchema = z
  .object({
    query: z.string(),
    identityTypes: z.preprocess(lower, z.array(z.enum(['user', 'group']))).optional(),
    operationScopes: z.preprocess(lower, z.array(z.enum(['ims', 'source']))).optional(),
    options: z.object({ MinResults: z.number().int().min(0).optional(), MaxResults: z.number().int().min(1).optional() }).loose().optional(),
  })
  .loose();

interface Candidate {
  user?: User;
  group?: Group;
  member: boolean;
}

async function pick(ctx: RequestContext): Promise<void> {
  const body = await bodyOf(ctx, pickSchema);
  const org = ctx.organization();
  const types = body.identityTypes ?? ['user', 'group'];
  const scopes = body.operationScopes ?? ['ims'];
  const max = body.options?.MaxResults ?? 40;
  const words = body.query.trim().toLowerCase();

  const candidates: Candidate[] = [];
  if (words) {
    for (const user of ctx.store.users.values()) {
      if (user.kind !== 'aad') continue;
      const member = ctx.store.isMember(org, user.id);
      const sameTenant = !!org.tenantId && org.hosting === 'cloud';
      if ((member && scopes.includes('ims')) || (!member && sameTenant && scopes.includes('source'))) candidates.push({ user, member });
    }
    if (scopes.includes('ims')) {
      for (const group of ctx.store.groupsOf(org)) candidates.push({ group, member: true });
      for (const team of ctx.store.teams.values()) {
        const project = ctx.store.projects.get(team.projectId);
        if (project?.orgId === org.id) candidates.push({ group: teamAsGroup(team, org, project.name), member: true });
      }
    }
  }
  const identities = candidates
    .filter((c) => (c.user ? types.includes('user') : types.includes('group')) && matches(c, words))
    .toSorted((a, b) => nameOf(a).localeCompare(nameOf(b)))
    .slice(0, max)
    .map((c) => entity(ctx, org, c));
  ctx.reply({ results: [{ queryToken: body.query, identities, pagingToken: null }] });
}

const nameOf = (c: Candidate) => c.user?.displayName ?? c.group!.displayName;

/** Each typed word starts a word of the name, the mail address or the account name. */
function matches(c: Candidate, query: string): boolean {
  const haystack = c.user ? [c.user.displayName, c.user.mail, c.user.alias] : [c.group!.displayName.replace(/^\[[^\]]*\]\\/, '')];
  const words = haystack.flatMap((h) => h.toLowerCase().split(/[\s@._\\[\]-]+/)).filter(Boolean);
  const full = haystack.map((h) => h.toLowerCase());
  return query.split(/\s+/).every((q) => full.some((f) => f.startsWith(q)) || words.some((w) => w.startsWith(q)));
}

function entity(ctx: RequestContext, org: Organization, c: Candidate): Record<string, unknown> {
  if (c.user) {
    const u = c.user;
    const objectId = stableGuid('aad-object', u.id);
    return {
      entityId: `vss.ad.aad.${objectId}`,
      entityType: 'User',
      originDirectory: 'aad',
      originId: objectId,
      localDirectory: c.member ? 'vsd' : null,
      localId: c.member ? u.id : null,
      displayName: u.displayName,
      mail: u.mail,
      signInAddress: u.mail,
      samAccountName: u.alias,
      active: true,
      subjectDescriptor: c.member ? accountNames(org, u).subjectDescriptor : null,
      department: null,
      jobTitle: null,
      image: `/_api/_common/identityImage?id=${c.member ? u.id : objectId}`,
    };
  }
  const g = c.group!;
  return {
    entityId: `vss.ds.v1.ims.group.${g.id.replace(/-/g, '')}`,
    entityType: 'Group',
    originDirectory: 'vsd',
    originId: g.id,
    localDirectory: 'vsd',
    localId: g.id,
    displayName: g.displayName,
    scopeName: org.name,
    mail: null,
    signInAddress: null,
    samAccountName: g.displayName.replace(/^\[[^\]]*\]\\/, ''),
    active: true,
    subjectDescriptor: g.descriptor,
    description: g.description,
    image: `/_api/_common/identityImage?id=${g.id}`,
  };
}
