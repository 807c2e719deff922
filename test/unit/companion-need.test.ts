import { describe, expect, it } from 'vitest';
import { explainCloneFailure, failureActions } from '../../src/shared/clone-failure';
import { gitTooOldMessage } from '../../src/shared/git-help';
import { companionNeed, nextStepFor } from '../../src/shared/next-step';

/** The Options button a failed clone or checkout offers. */
function fixOf(code: string) {
  const error = { code, message: 'x' };
  return failureActions(error, explainCloneFailure(error, { profile: true }), { profile: true }).fix;
}

describe('without the companion', () => {
  it('says which state it is in, with the button that fixes it', () => {
    expect(companionNeed('missing')).toEqual({ title: 'The companion is not installed', fix: ['Set up the companion', 'companion'] });
    // An installed companion is not called missing.
    expect(companionNeed('outdated')).toEqual({ title: 'The companion needs an update', fix: ['Update the companion', 'companion'] });
    expect(companionNeed('failed')).toEqual({ title: 'The companion did not start', fix: ['Set up the companion', 'companion'] });
    // It is set up: Options asks it again (a new one starts).
    expect(companionNeed('hung')).toEqual({ title: 'The companion did not answer', fix: ['Check the companion', 'companion'] });
    // git is what to update: Options' companion section links to its download.
    expect(companionNeed('gitTooOld')).toEqual({ title: 'git on this computer is too old', fix: ['Update git', 'companion'] });
  });

  it('a git too old for the companion, seen in its hello or said by a companion asked anyway, is named with what to install', () => {
    const message = gitTooOldMessage('2.30.9');
    for (const code of ['companion.gitTooOld', 'companion.GIT_TOO_OLD']) {
      const error = { code, message };
      const help = explainCloneFailure(error, { profile: true });
      expect(help).toEqual({
        cause: "git 2.30.9 on this computer is too old for the companion: it needs git 2.31 or newer to keep your token and a repository's own programs under its control.",
        next: 'Install a newer git (https://git-scm.com/downloads), then try again.',
        action: 'companion',
      });
      // Trying again does not help until git is updated.
      expect(failureActions(error, help, { profile: true })).toEqual({ fix: ['Update git', 'companion'], retry: false });
    }
  });

  it('gives a failed clone the same button as the panels: an update for an outdated companion, the folder for no clone folder', () => {
    expect(fixOf('companion.outdated')).toEqual(['Update the companion', 'companion']);
    expect(fixOf('companion.missing')).toEqual(['Set up the companion', 'companion']);
    expect(fixOf('companion.failed')).toEqual(['Set up the companion', 'companion']);
    expect(fixOf('companion.NO_CLONE_ROOT')).toEqual(['Choose a clone folder', 'companion']);
  });

  it('a companion that stopped while it worked (it did start) offers Try again, not its setup', () => {
    const error = { code: 'companion.stopped', message: 'The desktop companion stopped unexpectedly (Native host has exited.). Try again; …' };
    const help = explainCloneFailure(error, { profile: true });
    expect(failureActions(error, help, { profile: true })).toEqual({ retry: true });
    expect(help.cause).toBe('The desktop companion stopped while it was working on the clone.');
    expect(help.next).toMatch(/^Try again: a new one has started/);
    expect(`${help.cause} ${help.next}`).not.toContain('Native host');
  });

  it('a companion that did not answer in time (it is set up) offers Try again, and says what became of it', () => {
    const error = {
      code: 'companion.hung',
      message: 'The desktop companion did not answer within 30 seconds, so it was closed, which stops what it was doing. Try again: a new one starts. If it keeps happening, run the companion\'s "doctor" command.',
      happened: 'The desktop companion did not answer within 30 seconds, so it was closed, which stops what it was doing.',
    };
    for (const task of ['clone', 'checkout'] as const) {
      const help = explainCloneFailure(error, { profile: true, task });
      expect(failureActions(error, help, { profile: true })).toEqual({ retry: true });
      expect(help).toEqual({
        cause: 'The desktop companion did not answer within 30 seconds, so it was closed, which stops what it was doing.',
        next: 'Try again: a new one starts. If it keeps happening, run the companion’s "doctor" command.',
        action: 'retry',
      });
    }
    expect(nextStepFor('companion.hung')).toBeUndefined();
  });
});
