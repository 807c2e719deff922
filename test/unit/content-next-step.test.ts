import { describe, expect, it } from 'vitest';
import { AskError } from '../../src/shared/ask';
import { nextStepOf } from '../../src/content/session';

const failure = (code: string) => new AskError({ code, message: 'x' });

/** The Options button an in-page panel offers beside Try again, for failures trying again cannot fix. */
describe('nextStepOf', () => {
  it.each([
    ['NO_PROFILE', ['Add an account', 'accounts']],
    ['signInPage', ['Add an account', 'accounts']],
    ['unauthorized', ['Update the token', 'profiles']],
    ['forbidden', ['Update the token', 'profiles']],
    ['signedOut', ['Sign in again', 'accounts']],
    ['oauth.invalidGrant', ['Sign in again', 'accounts']],
    ['oauthDisabled', ['Add a token', 'accounts']],
    ['companion.NO_CLONE_ROOT', ['Choose a clone folder', 'companion']],
    ['companion.AUTH_FAILED', ['Update the token', 'profiles']],
    ['companion.NO_CREDENTIAL_HELPER', ['Add a token', 'accounts']],
    ['companion.missing', ['Set up the companion', 'companion']],
    ['companion.outdated', ['Set up the companion', 'companion']],
  ])('%s → %j', (code, step) => expect(nextStepOf(failure(code))).toEqual(step));

  it('offers nothing where trying again is the step (a network fault, a 429, a server error, anything thrown)', () => {
    for (const code of ['network', 'rateLimited', 'server', 'companion.failed', 'BAD_REQUEST']) expect(nextStepOf(failure(code))).toBeUndefined();
    expect(nextStepOf(new Error('unauthorized'))).toBeUndefined();
  });
});
