import { describe, expect, it } from 'vitest';
import { isProgress } from '../../src/shared/ask';
import { PROGRESS_PHASES } from '../../src/shared/host-protocol';

/** The page and the popup recognise git's progress without loading the protocol's schemas: the phases are written out twice. */
describe('isProgress', () => {
  it('knows every phase the companion reports', () => {
    for (const phase of PROGRESS_PHASES) expect(isProgress({ phase, percent: 12 })).toBe(true);
  });
  it('refuses anything else', () => {
    for (const e of [null, 'receiving', { phase: 'receiving' }, { percent: 3 }, { phase: 'uploading', percent: 3 }, { phase: 'receiving', percent: '3' }]) expect(isProgress(e)).toBe(false);
  });
});
