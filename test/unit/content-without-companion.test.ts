import { describe, expect, it } from 'vitest';
import { withoutCompanion } from '../../src/content/companion-setup';

describe('a panel without the companion', () => {
  it('says why it is not there, what the panel does without it, and the button that fixes it', () => {
    const without = 'you check the branch out yourself.';
    expect(withoutCompanion('missing', without)).toEqual({ line: 'The companion is not installed: you check the branch out yourself.', fix: 'Set up the companion' });
    // An installed companion is not called missing.
    expect(withoutCompanion('outdated', without)).toEqual({ line: 'The companion needs an update: you check the branch out yourself.', fix: 'Update the companion' });
    expect(withoutCompanion('failed', without)).toEqual({ line: 'The companion did not start: you check the branch out yourself.', fix: 'Set up the companion' });
  });
});
