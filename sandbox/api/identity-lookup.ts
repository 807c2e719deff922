import { isGuid } from '../ids';
import type { Group, Organization, Store, Team, User } from '../store';

/**
 * Who an identity id names inside one organization: a member, one of its groups, or a team
 * (teams are identities in Azure DevOps too, shown like groups: `[Project]\Team`).
 */
export function identityIn(store: Store, org: Organization, id: string): User | Group | undefined {
  if (!isGuid(id)) return undefined;
  const key = id.toLowerCase();
  const user = store.users.get(key);
  if (user) return store.isMember(org, user.id) ? user : undefined;
  const group = store.groups.get(key);
  if (group) return group.orgId === org.id ? group : undefined;
  const team = store.teams.get(key);
  const project = team && store.projects.get(team.projectId);
  return team && project?.orgId === org.id ? teamAsGroup(team, org, project.name) : undefined;
}

/** A team in the shape identity answers use for groups. */
export function teamAsGroup(team: Team, org: Organization, projectName: string): Group {
  return {
    id: team.id,
    orgId: org.id,
    displayName: `[${projectName}]\\${team.name}`,
    description: team.description,
    memberIds: team.memberIds,
    descriptor: `vssgp.${Buffer.from(team.id).toString('base64url')}`,
  };
}
