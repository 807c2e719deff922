/**
 * Reading what people type when adding a token: an organization name (or a URL pasted from the
 * address bar) for Azure DevOps Services, a collection URL for Azure DevOps Server.
 */

export const COLLECTION_EXAMPLE = 'https://tfs.fabrikam.test/tfs/DefaultCollection';

/** `https://dev.azure.com/fabrikam/Project/_git/x` or `fabrikam.visualstudio.com` → `fabrikam`; a bare name stays. */
export function organizationFromInput(text: string): string {
  const t = text.trim();
  const withScheme = /^[a-z]+:\/\//i.test(t) ? t : /(^|\.)(dev\.azure\.com|visualstudio\.com)(\/|$)/i.test(t) ? `https://${t}` : undefined;
  if (!withScheme) return t;
  try {
    const u = new URL(withScheme);
    const host = u.hostname.toLowerCase();
    if (host === 'dev.azure.com') return decodeURIComponent(u.pathname.split('/').find((s) => s !== '') ?? '');
    const legacy = /^([a-z0-9][a-z0-9-]*)\.visualstudio\.com$/.exec(host);
    if (legacy) return legacy[1]!;
  } catch {
    // Not a URL after all: the text is checked as a name.
  }
  return t;
}

/** Azure DevOps organization names: letters, digits and hyphens, not starting or ending with a hyphen, at most 50. */
export function organizationProblem(org: string): string | undefined {
  if (org === '') return 'Enter your organization’s name, as in https://dev.azure.com/{organization}.';
  if (org.length > 50) return 'An organization name has at most 50 characters.';
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(org)) {
    return 'An organization name has only letters, digits and hyphens (not at its start or end).';
  }
  return undefined;
}

export function collectionUrlProblem(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return `Enter the collection URL, like ${COLLECTION_EXAMPLE}.`;
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return `That is not a URL. It looks like ${COLLECTION_EXAMPLE}.`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'The collection URL starts with https:// (or http://).';
  if (u.username || u.password) return 'Leave the user name and password out of the URL: the token is entered below.';
  if (u.search || u.hash) return 'Leave the part after ? or # out: only the collection URL is needed.';
  if (u.pathname.split('/').filter((s) => s !== '').length === 0) return `Include the collection in the URL, like ${COLLECTION_EXAMPLE}.`;
  return undefined;
}

/** What a valid address that is unwise to send a token to should say: http:// carries it in the clear. */
export function collectionUrlCaution(text: string): string | undefined {
  if (collectionUrlProblem(text) !== undefined || new URL(text.trim()).protocol !== 'http:') return undefined;
  return 'Over http:// the token travels unencrypted: anyone on the network on the way to the server can read it. Use https:// if the server offers it.';
}

/** The collection URL as the profile stores it: no trailing slash. */
export const normalizeCollectionUrl = (text: string): string => {
  const u = new URL(text.trim());
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
};

/** The last path segment: the collection's name. */
export const collectionName = (url: string): string => decodeURIComponent(new URL(url).pathname.split('/').filter((s) => s !== '').pop() ?? '');
