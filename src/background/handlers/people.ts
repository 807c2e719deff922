import { identityMail, isAdoError, type AdoClient } from '../../shared/ado/client';
import { AdoError } from '../../shared/ado/errors';
import type { PickerIdentity } from '../../shared/ado/schemas';
import { sshKeysPageUrl } from '../../shared/ado/urls';
import type { Person } from '../../shared/messages';
import { orgBaseUrl } from '../../shared/profile';
import { clientOf } from '../connections';
import { apiFor } from '../page-session';
import { listGroups, removeGroup, saveGroup } from '../reviewer-groups';
import { profileOrThrow, type GatewayDeps, type Handlers } from './types';

/**
 * People: finding colleagues (for reviewers), the user's reviewer groups, and registering the
 * user's own SSH key with Azure DevOps.
 */
type PeopleRequests = 'people.search' | 'groups.list' | 'groups.save' | 'groups.remove' | 'ssh.addToAdo';

const fromPicker = (i: PickerIdentity): Person | undefined =>
  i.localId
    ? { id: i.localId, displayName: i.displayName, ...(i.mail ? { mail: i.mail } : {}), ...(i.entityType.toLowerCase() === 'group' ? { isGroup: true } : {}) }
    : undefined;

/** People and groups matching `query`: the web UI's picker, or the documented identity search where that is missing. */
export async function searchPeople(api: AdoClient, query: string): Promise<Person[]> {
  try {
    return (await api.searchPeople(query, { maxResults: 20 })).map(fromPicker).filter((p): p is Person => p !== undefined);
  } catch (e) {
    if (!isAdoError(e, 'notFound') && !isAdoError(e, 'badRequest')) throw e;
  }
  const found = await api.searchIdentities(query);
  return found.map((i) => {
    const mail = identityMail(i);
    return { id: i.id, displayName: i.providerDisplayName, ...(mail ? { mail } : {}), ...(i.isContainer ? { isGroup: true } : {}) };
  });
}

/**
 * The organization's identity for a commit author: by e-mail, else by exact name. A commit's
 * e-mail is often one the directory does not know (a personal or no-reply address; a server's
 * Windows accounts, `DOMAIN\user`, may have none), so when a search by it does not find them,
 * one by name follows.
 */
export async function findPerson(api: AdoClient, author: { name: string; email?: string | undefined }): Promise<Person | undefined> {
  const search = async (query: string) => (await searchPeople(api, query)).filter((p) => !p.isGroup);
  const byName = (people: Person[]) => people.find((p) => p.displayName.toLowerCase() === author.name.toLowerCase());
  const email = author.email?.toLowerCase();
  if (email) {
    const people = await search(email);
    const found = people.find((p) => p.mail?.toLowerCase() === email) ?? byName(people);
    if (found) return found;
  }
  return byName(await search(author.name));
}

/** Azure DevOps lets a public SSH key live at most a year; a day less leaves room for clock skew. */
const SSH_KEY_DAYS = 364;

export function peopleHandlers(deps: GatewayDeps): Pick<Handlers, PeopleRequests> {
  return {
    'people.search': async (req, ctx) => ({ people: await searchPeople((await apiFor(deps, req.profileId, ctx)).api, req.query) }),

    'groups.list': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      return { groups: await listGroups(deps.local, p.id, req.project) };
    },
    'groups.save': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      return saveGroup(deps.local, p.id, req.group, deps.newId);
    },
    'groups.remove': async (req) => ({ groups: await removeGroup(deps.local, req.id) }),

    'ssh.addToAdo': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      if (p.auth !== 'oauth') {
        throw new Error(
          `Azure DevOps does not let a personal access token add SSH keys. Copy your public key and add it on ${sshKeysPageUrl(orgBaseUrl(p))}.`,
        );
      }
      if (!p.instanceId) throw new Error(`“${p.name}” does not know its organization's id yet. Remove it and sign in again in Options.`);
      const today = new Date(deps.now());
      const key = await clientOf(deps, p, ctx)
        .addSshKey({
          displayName: `Azure DevOps Companion ${today.toISOString().slice(0, 10)}`,
          publicKey: req.publicKey,
          validTo: new Date(deps.now() + SSH_KEY_DAYS * 86_400_000),
          instanceId: p.instanceId,
        })
        .catch((e: unknown) => {
          if (!isAdoError(e, 'forbidden')) throw e;
          // A key is the person's own, for the whole organization: a refusal is no project's permission
          // (what a 403 says elsewhere) but the organization's choice, which the keys page shows too.
          const said = e.adoMessage ? ` Azure DevOps said: “${e.adoMessage}”` : '';
          throw new AdoError({
            kind: 'forbidden',
            what: e.what,
            status: e.status,
            authScheme: e.authScheme,
            adoMessage: e.adoMessage,
            cause: e,
            userMessage:
              `Azure DevOps did not let your sign-in add an SSH key to ${p.organization}.${said} Whether keys can be added is up to the organization: ` +
              `its administrators turn on SSH authentication under Organization settings › Policies. Try adding the key yourself on your SSH keys page; ` +
              `if it is refused there too, ask an administrator of ${p.organization}.`,
          });
        });
      return { name: key.displayName, validTo: key.validTo };
    },
  };
}
