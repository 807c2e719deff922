import { describe, expect, it } from 'vitest';
import { remoteNameFor } from '../../src/shared/remote-name';
import { checkRemoteName } from '../../src/host/remotes';

/** The background names a fork's remote; the companion refuses names it would not accept. Both must agree. */
describe('remoteNameFor', () => {
  it('makes a name from a project name', () => {
    expect(remoteNameFor('Security Team')).toBe('security-team');
    expect(remoteNameFor('Platform')).toBe('platform');
  });

  it.each([
    'Security Team',
    `${'Very Long Project Name '.repeat(4)}-and-its-repository-name-too`,
    '.hidden..project.lock',
    '_internal',
    'Ünïcode Prøject',
    '---',
    'a..b',
  ])('gives the companion a name it accepts for %j, with a pull request id after it too', (project) => {
    const name = remoteNameFor(project);
    expect(() => checkRemoteName(name)).not.toThrow();
    expect(() => checkRemoteName(`${name}-123456`)).not.toThrow();
  });
});
