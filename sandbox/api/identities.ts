import { createHash } from 'node:crypto';
import { accountNames } from '../account-names';
import type { RequestContext } from '../context';
import { azdoErrors } from '../errors';
import { stableGuid } from '../ids';
import type { Router } from '../router';
import type { Group, Organization, Store, User } from '../store';
import { teamAsGroup } from './identity-lookup';

/**
 * `GET vssps.dev.azure.com/{org}/_apis/identities` (ims): search by `searchFilter` +
 * `filterValue`, or look up by `identityIds`, `descriptors` or `subjectDescriptors`. Answers the
 * organization's members, groups and teams. On-prem the same API lives below the collection.
 */
export function registerIdentities(router: Router): void {
  router.get('vssps', '/_apis/identities', search, { scope: 'vso.identity' });
  router.get('collection', '/_apis/identities', search, { scope: 'vso.identity' });
}

type Identity = { kind: 'user'; user: User } | { kind: 'group'; group: Group };

const FILTERS = ['general', 'accountname', 'displayname', 'mailaddress'];

function search(ctx: RequestContext): void {
  const org = ctx.organization();
  const q = ctx.query;
  const all = organizationIdentities(ctx.store, org);
  const given = ['searchFilter', 'identityIds', 'descriptors', 'subjectDescriptors'].filter((k) => q.get(k));
  if (given.length !== 1) {
    throw azdoErrors.badRequest('Exactly one of searchFilter, identityIds, descriptors or subjectDescriptors must be specified.', 'ArgumentException');
  }
  let found: Identity[];
  if (q.get('searchFilter')) {
    const filter = q.get('searchFilter')!.toLowerCase();
    if (!FILTERS.includes(filter)) throw azdoErrors.badRequest(`The value '${q.get('searchFilter')}' is not valid for searchFilter.`, 'InvalidArgumentValueException');
    const value = (q.get('filterValue') ?? '').trim().toLowerCase();
    if (!value) throw azdoErrors.badRequest('Value cannot be null.\r\nParameter name: filterValue', 'ArgumentNullException');
    found = all.filter((i) => matches(org, i, filter, value));
  } else {
    const list = (name: string) => q.get(name)!.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (q.get('identityIds')) {
      const ids = list('identityIds').map((s) => s.replace(/-/g, ''));
      found = all.filter((i) => ids.includes(idOf(i).replace(/-/g, '')));
    } else if (q.get('descriptors')) {
      const wanted = list('descriptors');
      found = all.filter((i) => wanted.includes(descriptorOf(org, i).toLowerCase()));
    } else {
      const wanted = list('subjectDescriptors');
      found = all.filter((i) => wanted.includes(subjectDescriptorOf(org, i).toLowerCase()));
    }
  }
  const membership = (q.get('queryMembership') ?? 'None').toLowerCase();
  ctx.replyList(found.map((i) => identityJson(ctx.store, org, i, membership !== 'none')));
}

function organizationIdentities(store: Store, org: Organization): Identity[] {
  const users = org.memberIds.flatMap((id) => {
    const user = store.user(id);
    return user ? [{ kind: 'user' as const, user }] : [];
  });
  const groups = store.groupsOf(org).map((group) => ({ kind: 'group' as const, group }));
  const teams = [...store.teams.values()].flatMap((t) => {
    const project = store.projects.get(t.projectId);
    return project?.orgId === org.id ? [{ kind: 'group' as const, group: teamAsGroup(t, org, project.name) }] : [];
  });
  return [...users, ...groups, ...teams];
}

function matches(org: Organization, i: Identity, filter: string, value: string): boolean {
  if (i.kind === 'user') {
    const { mail, displayName, alias } = i.user;
    const m = mail.toLowerCase();
    const d = displayName.toLowerCase();
    // A Windows account is found by DOMAIN\user as well as by its bare name.
    const unique = accountNames(org, i.user).uniqueName.toLowerCase();
    if (filter === 'mailaddress') return m === value;
    if (filter === 'accountname') return m === value || alias === value || unique === value;
    if (filter === 'displayname') return d.startsWith(value);
    return m === value || alias === value || unique === value || d === value || d.startsWith(value);
  }
  const full = i.group.displayName.toLowerCase();
  const short = full.replace(/^\[[^\]]*\]\\/, '');
  if (filter === 'mailaddress') return false;
  if (filter === 'accountname') return short === value || full === value;
  return full === value || short === value || short.startsWith(value) || (filter === 'general' && full.startsWith(value));
}

const idOf = (i: Identity) => (i.kind === 'user' ? i.user.id : i.group.id);
const subjectDescriptorOf = (org: Organization, i: Identity) => (i.kind === 'user' ? accountNames(org, i.user).subjectDescriptor : i.group.descriptor);

/** The legacy identity descriptor: a user's (account-names.ts), a `S-1-9-...` SID for groups. */
function descriptorOf(org: Organization, i: Identity): string {
  if (i.kind === 'user') return accountNames(org, i.user).descriptor;
  return `Microsoft.TeamFoundation.Identity;${sidOf(i.group.id)}`;
}

function sidOf(id: string): string {
  const h = createHash('sha256').update(id).digest();
  const parts = [0, 4, 8, 12, 16].map((o) => h.readUInt32BE(o));
  return `S-1-9-1551374245-${parts.join('-')}-1-0-0-0`;
}

const str = (value: string) => ({ $type: 'System.String', $value: value });

function identityJson(store: Store, org: Organization, i: Identity, withMembership: boolean): Record<string, unknown> {
  const memberOf = withMembership
    ? organizationIdentities(store, org)
        .filter((g): g is Extract<Identity, { kind: 'group' }> => g.kind === 'group' && g.group.memberIds.includes(idOf(i)))
        .map((g) => descriptorOf(org, g))
    : [];
  if (i.kind === 'user') {
    const u = i.user;
    const names = accountNames(org, u);
    const cloud = org.hosting === 'cloud';
    return {
      id: u.id,
      descriptor: names.descriptor,
      subjectDescriptor: names.subjectDescriptor,
      providerDisplayName: u.displayName,
      isActive: true,
      members: [],
      memberOf,
      memberIds: [],
      properties: {
        SchemaClassName: str('User'),
        Description: str(''),
        Domain: str(names.domain),
        Account: str(names.account),
        DN: str(''),
        Mail: str(u.mail),
        SpecialType: str('Generic'),
        // What only Entra (or a Microsoft account) gives an identity.
        ...(cloud
          ? {
              Alias: str(u.alias),
              PUID: str(`aad:${createHash('sha1').update(u.id).digest('hex').slice(0, 16).toUpperCase()}`),
              ComplianceValidated: { $type: 'System.DateTime', $value: '2026-08-01T00:00:00Z' },
              'http://schemas.microsoft.com/identity/claims/objectidentifier': str(stableGuid('aad-object', u.id)),
            }
          : {}),
        MetadataUpdateDate: { $type: 'System.DateTime', $value: '2026-08-01T00:00:00Z' },
        DirectoryAlias: str(u.alias),
      },
      resourceVersion: 2,
      metaTypeId: 0,
    };
  }
  const g = i.group;
  const members = g.memberIds.flatMap((id) => {
    const user = store.user(id);
    return user ? [descriptorOf(org, { kind: 'user', user })] : [];
  });
  return {
    id: g.id,
    descriptor: descriptorOf(org, i),
    subjectDescriptor: g.descriptor,
    providerDisplayName: g.displayName,
    isActive: true,
    isContainer: true,
    members: withMembership ? members : [],
    memberOf,
    memberIds: withMembership ? g.memberIds : [],
    properties: {
      SchemaClassName: str('Group'),
      Description: str(g.description),
      Domain: str(`vstfs:///Framework/IdentityDomain/${org.id}`),
      Account: str(g.displayName.replace(/^\[[^\]]*\]\\/, '')),
      SecurityGroup: str('SecurityGroup'),
      SpecialType: str('Generic'),
      ScopeId: { $type: 'System.Guid', $value: org.id },
      ScopeType: str('ServiceHost'),
      LocalScopeId: { $type: 'System.Guid', $value: org.id },
      SecuringHostId: { $type: 'System.Guid', $value: org.id },
      ScopeName: str(org.name),
      GlobalScope: str('GlobalScope'),
      VirtualPlugin: str(''),
    },
    resourceVersion: 2,
    metaTypeId: 255,
  };
}
