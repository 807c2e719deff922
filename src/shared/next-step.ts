import type { CompanionStatus, OptionsSection } from './messages';

/** Where in Options a failure is fixed, and the button's words for it. */
export type NextStep = readonly [label: string, section: OptionsSection];

/**
 * The Options button for a failure that trying again cannot fix: no account for this organization,
 * a token refused or lacking a scope (by Azure DevOps, or by git), a Microsoft sign-in that lapsed,
 * no access to an Azure DevOps Server, no companion, no clone folder, or no editor.
 */
export function nextStepFor(code: string | undefined): NextStep | undefined {
  if (code === 'NO_PROFILE' || code === 'signInPage' || code === 'sessionRefused') return ['Add an account', 'accounts'];
  // A server older than the profile's api-version: the token entered again checks the version afresh.
  if (code === 'unauthorized' || code === 'forbidden' || code === 'companion.AUTH_FAILED' || code === 'serverTooOld') return ['Update the token', 'profiles'];
  if (code === 'companion.NO_CREDENTIAL_HELPER' || code === 'companion.AUTH_FAILED_NO_PROFILE') return ['Add a token', 'accounts'];
  if (code === 'companion.missing' || code === 'companion.outdated') return companionNeed(code.slice(10) as CompanionStatus['state']).fix;
  if (code === 'companion.gitTooOld' || code === 'companion.GIT_TOO_OLD') return companionNeed('gitTooOld').fix;
  if (code === 'signedOut' || code === 'oauth.invalidGrant') return ['Sign in again', 'accounts'];
  // Its profile's editor, whose Sign in with Microsoft again renews it.
  if (code === 'signInRefused' || code === 'companion.SIGN_IN_REFUSED') return ['Sign in again', 'profiles'];
  if (code === 'oauthDisabled') return ['Add a token', 'accounts'];
  if (code === 'companion.SSH_REFUSED') return ['Open the SSH key settings', 'ssh'];
  if (code === 'companion.NO_CLONE_ROOT') return ['Choose a clone folder', 'companion'];
  if (code === 'companion.EDITOR_MISSING') return ['Choose another editor', 'editor'];
  if (code === 'hostAccess') return ['Allow access', 'profiles'];
  return undefined;
}

/** Azure DevOps or the way to it failed, not what was sent: the same request again may work. */
export const mayTryAgain = (code: string | undefined) => code === 'server' || code === 'network' || code === 'rateLimited';

/**
 * Azure DevOps (or the extension, before asking it) refused a request that makes something, so
 * nothing was made. Any other failure (no answer, a server error, Stop waiting) may have come
 * after it was made.
 */
export const refusedOutright = (code: string | undefined) =>
  [
    'badRequest', 'serverTooOld', 'serverUnsupported', 'notFound', 'conflict', 'rateLimited', 'oauthDisabled', 'notPermitted', 'hostAccess', 'signedOut',
    // A credential refused, as toReplyError names it for a token, a sign-in or a page's session.
    'unauthorized', 'forbidden', 'signInPage', 'signInRefused', 'signInForbidden', 'sessionRefused', 'sessionForbidden',
    'BAD_REQUEST', 'FORBIDDEN', 'NO_PROFILE',
  ].includes(code ?? '') || (code ?? '').startsWith('oauth.');

/**
 * What every page and the popup say while the companion is not there, by its state: an outdated one
 * needs an update (it is installed), one that did not start is named so, and the button matches. A
 * hung one is set up: asking again starts a new one, which Options' status does at once. With a git
 * too old for it, git is what to update: Options' companion section says how.
 */
export function companionNeed(state: CompanionStatus['state']): { title: string; fix: NextStep } {
  return {
    title:
      state === 'outdated' ? 'The companion needs an update'
      : state === 'gitTooOld' ? 'git on this computer is too old'
      : state === 'failed' ? 'The companion did not start'
      : state === 'hung' ? 'The companion did not answer'
      : 'The companion is not installed',
    fix: [state === 'outdated' ? 'Update the companion' : state === 'gitTooOld' ? 'Update git' : state === 'hung' ? 'Check the companion' : 'Set up the companion', 'companion'],
  };
}

/** The words of the link to a help page a failure names (the background adds the page's URL). */
export function helpLabel(url: string): string {
  if (/_usersSettings\/tokens/.test(url)) return 'Open the personal access tokens page';
  if (/organizationPolicy/.test(url)) return 'Open the organization policies';
  if (/_usersSettings\/keys/.test(url)) return 'Open the SSH keys page';
  return 'Learn more';
}
