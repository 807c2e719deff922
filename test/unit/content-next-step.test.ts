import { describe, expect, it } from 'vitest';
import { AskError } from '../../src/shared/ask';
import { problemOf } from '../../src/content/session';

const failure = (code: string) => new AskError({ code, message: 'x' });
const nextStepOf = (e: unknown) => problemOf(e).next;

/** The Options button an in-page panel offers beside Try again, for failures trying again cannot fix. */
describe('problemOf: the next step', () => {
  it.each([
    ['NO_PROFILE', ['Add an account', 'accounts']],
    ['signInPage', ['Add an account', 'accounts']],
    ['unauthorized', ['Update the token', 'profiles']],
    ['forbidden', ['Update the token', 'profiles']],
    ['signedOut', ['Sign in again', 'accounts']],
    ['signInRefused', ['Sign in again', 'profiles']],
    ['sessionRefused', ['Add an account', 'accounts']],
    ['oauth.invalidGrant', ['Sign in again', 'accounts']],
    ['oauthDisabled', ['Add a token', 'accounts']],
    ['companion.NO_CLONE_ROOT', ['Choose a clone folder', 'companion']],
    ['companion.AUTH_FAILED', ['Update the token', 'profiles']],
    ['companion.NO_CREDENTIAL_HELPER', ['Add a token', 'accounts']],
    ['companion.missing', ['Set up the companion', 'companion']],
    ['companion.outdated', ['Update the companion', 'companion']],
  ])('%s → %j', (code, step) => expect(nextStepOf(failure(code))).toEqual(step));

  it('offers nothing where trying again is the step (a network fault, a 429, a server error, anything thrown)', () => {
    // Nor where the person's permissions are the matter (a Microsoft sign-in's or a page session's 403).
    for (const code of ['network', 'rateLimited', 'server', 'companion.failed', 'BAD_REQUEST', 'signInForbidden', 'sessionForbidden']) expect(nextStepOf(failure(code))).toBeUndefined();
    expect(nextStepOf(new Error('unauthorized'))).toBeUndefined();
  });
});

describe('problemOf: the help page', () => {
  it('keeps the page the background names (a refused token: its tokens page) with the sentence', () => {
    const helpUrl = 'https://dev.azure.com/fabrikam/_usersSettings/tokens';
    expect(problemOf(new AskError({ code: 'unauthorized', message: 'The token was refused.', helpUrl }))).toEqual({ message: 'The token was refused.', next: ['Update the token', 'profiles'], helpUrl });
    expect(problemOf(new Error('boom'))).toEqual({ message: 'boom', next: undefined, helpUrl: undefined });
  });
});
