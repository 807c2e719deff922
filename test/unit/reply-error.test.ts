import { describe, expect, it } from 'vitest';
import { CompanionError } from '../../src/background/companion';
import { SignedOutError } from '../../src/background/connections';
import { NoHostAccessError, toReplyError, unlessHostAccessTaken } from '../../src/background/errors';
import { classifyGitFailure } from '../../src/host/git-failure';
import { AdoError } from '../../src/shared/ado/errors';
import { nextStepFor, refusedOutright } from '../../src/shared/next-step';
import { Profile } from '../../src/shared/profile';

/**
 * toReplyError names whose matter a failure is, so that the button beside its words fits: a token
 * is updated, a Microsoft sign-in signed in again, a page's own session wants an account, and a
 * person's permissions get no Options button at all.
 */
const pat = Profile.parse({ id: 'p1', name: 'fabrikam', auth: 'pat', host: { kind: 'cloud' }, organization: 'fabrikam' });
const oauth = Profile.parse({ id: 'o1', name: 'fabrikam (ada)', auth: 'oauth', host: { kind: 'cloud' }, organization: 'fabrikam' });
const what = 'create the branch';
const button = (reply: { code: string }) => nextStepFor(reply.code)?.[0];
/** An Azure DevOps Server's refusal of api-version 7.1, its latest being `latest`. */
const outOfRange = (latest: string) =>
  new AdoError({ kind: 'serverTooOld', what: 'list repositories', status: 400, typeKey: 'VssVersionOutOfRangeException', adoMessage: `The requested REST API version of 7.1 is out of range for this server. The latest REST API version this server supports is ${latest}.` });

describe('toReplyError', () => {
  it("gives a token's refusal Update the token, its profile and its tokens page", () => {
    for (const kind of ['unauthorized', 'signInPage'] as const) {
      const reply = toReplyError(new AdoError({ kind, what, status: kind === 'unauthorized' ? 401 : 203, authScheme: 'Basic' }), pat);
      expect(reply).toMatchObject({ code: 'unauthorized', profileId: 'p1', helpUrl: 'https://dev.azure.com/fabrikam/_usersSettings/tokens' });
      expect(button(reply)).toBe('Update the token');
    }
  });

  it('gives a refused Microsoft sign-in Sign in again, with its profile, whether a 401 or a sign-in page', () => {
    for (const kind of ['unauthorized', 'signInPage'] as const) {
      const reply = toReplyError(new AdoError({ kind, what, status: 401, authScheme: 'Bearer' }), oauth);
      expect(reply).toMatchObject({ code: 'signInRefused', profileId: 'o1' });
      expect(reply).not.toHaveProperty('helpUrl');
      expect(button(reply)).toBe('Sign in again');
    }
  });

  it("sends a server older than its profile's api-version to the profile's editor (the token entered again checks it afresh); one older than 5.0 nowhere", () => {
    const server = Profile.parse({ id: 's1', name: 'tfs', auth: 'pat', host: { kind: 'onprem', collectionUrl: 'https://tfs.fabrikam.test/tfs/DefaultCollection' }, organization: 'DefaultCollection', apiVersion: '7.1' });
    const tooOld = toReplyError(outOfRange('7.0'), server);
    expect(tooOld).toMatchObject({ code: 'serverTooOld', profileId: 's1' });
    expect(button(tooOld)).toBe('Update the token');
    const unsupported = toReplyError(outOfRange('4.1'), server);
    expect(unsupported.code).toBe('serverUnsupported');
    expect(unsupported).not.toHaveProperty('profileId');
    expect(button(unsupported)).toBeUndefined();
    // Refused before anything was made.
    expect(refusedOutright(tooOld.code) && refusedOutright(unsupported.code)).toBe(true);
  });

  it('says a server whose access was taken back needs it again, not a connection, with Allow access on its profile', () => {
    const server = Profile.parse({ id: 's1', name: 'tfs', auth: 'pat', host: { kind: 'onprem', collectionUrl: 'https://tfs.fabrikam.test/tfs/DefaultCollection' }, organization: 'DefaultCollection' });
    const reply = toReplyError(new AdoError({ kind: 'network', what: 'list repositories', host: 'tfs.fabrikam.test', cause: new NoHostAccessError('tfs.fabrikam.test') }), server);
    expect(reply).toEqual({
      code: 'hostAccess',
      message: 'The browser no longer lets Azure DevOps Companion reach tfs.fabrikam.test: its access to the site was taken back. Allow it again in Options › Profiles.',
      profileId: 's1',
    });
    expect(button(reply)).toBe('Allow access');
  });

  it('takes a failed request to a server whose access was taken back for that, and any other failure as it was', async () => {
    const asked: string[] = [];
    const hostAccess = async (origin: string) => (asked.push(origin), origin !== 'https://tfs.fabrikam.test');
    const failed = new TypeError('Failed to fetch');
    const taken = await unlessHostAccessTaken(failed, 'https://tfs.fabrikam.test/tfs/DefaultCollection/_apis/projects', hostAccess);
    expect(taken).toBeInstanceOf(NoHostAccessError);
    expect((taken as Error).message).toContain('reach tfs.fabrikam.test:');
    expect(await unlessHostAccessTaken(failed, 'https://dev.azure.com/fabrikam/_apis/projects', hostAccess)).toBe(failed);
    expect(asked).toEqual(['https://tfs.fabrikam.test', 'https://dev.azure.com']);
    // Nothing to ask about, or no one to ask: the failure stands.
    expect(await unlessHostAccessTaken(failed, undefined, hostAccess)).toBe(failed);
    expect(await unlessHostAccessTaken(failed, 'https://tfs.fabrikam.test/tfs', undefined)).toBe(failed);
  });

  it("offers nothing in Options for Azure DevOps' own \"you may not\" (a branch permission in a success answer)", () => {
    const reply = toReplyError(new AdoError({ kind: 'forbidden', what, userMessage: 'You may not create branches in this repository.', authScheme: 'Basic' }), pat);
    expect(reply).toEqual({ code: 'notPermitted', message: 'You may not create branches in this repository.' });
    expect(button(reply)).toBeUndefined();
  });

  it('offers no new token for a 403 that names a permission in the project (TF401027), for a token or a sign-in alike', () => {
    const adoMessage = "TF401027: You need the Git 'CreateRepository' permission to perform this action. Details: identity 'Ada', scope 'repository'.";
    for (const [auth, profile] of [['Basic', pat], ['Bearer', oauth]] as const) {
      const reply = toReplyError(new AdoError({ kind: 'forbidden', status: 403, what: 'create the repository', adoMessage, authScheme: auth }), profile);
      expect(reply.code, auth).toBe('notPermitted');
      expect(reply.message).toMatch(/^Azure DevOps did not allow you to create the repository: your account lacks a permission for it in this project, which a project administrator can grant\. .*CreateRepository/);
      expect(button(reply)).toBeUndefined();
    }
    // Refused before anything was made: New repository says "was not created", not "did not finish".
    expect(refusedOutright(toReplyError(new AdoError({ kind: 'forbidden', status: 403, what: 'create the repository', adoMessage, authScheme: 'Bearer' }), oauth).code)).toBe(true);
    for (const code of ['signInRefused', 'sessionForbidden', 'hostAccess', 'oauth.invalidGrant', 'unauthorized']) expect(refusedOutright(code), code).toBe(true);
    for (const code of ['network', 'server', 'invalidResponse', 'cancelled', 'NO_ANSWER']) expect(refusedOutright(code), code).toBe(false);
    // A 403 that does not say: still the token's matter first.
    expect(toReplyError(new AdoError({ kind: 'forbidden', status: 403, what: 'create the repository', adoMessage: 'Access Denied', authScheme: 'Basic' }), pat).code).toBe('forbidden');
  });

  it('sends a token profile without its token (imported) to its own editor, not to Add an account', () => {
    const reply = toReplyError(new AdoError({ kind: 'unauthorized', what, cause: new SignedOutError(pat) }), pat);
    expect(reply).toEqual({ code: 'unauthorized', message: expect.stringContaining('“fabrikam” has no token on this computer'), profileId: 'p1' });
    expect(nextStepFor(reply.code)).toEqual(['Update the token', 'profiles']);
  });

  it('says a sign-in that is gone is signed out, not refused', () => {
    const reply = toReplyError(new AdoError({ kind: 'unauthorized', what, cause: new SignedOutError(oauth) }), oauth);
    expect(reply.code).toBe('signedOut');
    expect(reply.message).toContain('is signed out');
    expect(button(reply)).toBe('Sign in again');
  });

  it("gives git's refusal without a profile Add a token (git signed in with the credential helper's account)", () => {
    const failed = new CompanionError('AUTH_FAILED', 'Azure DevOps refused the credentials git sent.');
    expect(button(toReplyError(failed))).toBe('Add a token');
    expect(toReplyError(failed, pat)).toMatchObject({ code: 'companion.AUTH_FAILED', profileId: 'p1' });
    expect(button(toReplyError(failed, pat))).toBe('Update the token');
    // A Microsoft sign-in's git is signed in again.
    expect(toReplyError(failed, oauth)).toMatchObject({ code: 'companion.SIGN_IN_REFUSED', profileId: 'o1' });
    expect(button(toReplyError(failed, oauth))).toBe('Sign in again');
  });

  it('gives a refusal by ssh the SSH key settings, whatever profile asked: never its token or sign-in', () => {
    const sshSaid = [
      'git@ssh.dev.azure.com: Permission denied (publickey).\nfatal: Could not read from remote repository.',
      'Host key verification failed.\nfatal: Could not read from remote repository.',
    ];
    for (const stderr of sshSaid) {
      const failed = new CompanionError('AUTH_FAILED', classifyGitFailure(stderr).message);
      for (const profile of [pat, oauth, undefined]) {
        const reply = toReplyError(failed, profile);
        expect(reply).toEqual({ code: 'companion.SSH_REFUSED', message: failed.message });
        expect(button(reply)).toBe('Open the SSH key settings');
      }
    }
  });
});
