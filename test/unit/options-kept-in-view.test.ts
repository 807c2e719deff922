import { describe, expect, it } from 'vitest';
import { afterScroll, type Keeping } from '../../src/options/kept-in-view';

const kept: Keeping = { kind: 'kept', id: 'advanced', at: { y: 1200, height: 3000 }, until: 8000 };
const followed: Keeping = { kind: 'followed', at: { y: 1200, height: 3000 } };

describe('Options › keeping a section in view: whose scroll it was', () => {
  it('a scroll to where the page was left is not the reader’s: the keeper’s own, or the browser’s jump to the #hash', () => {
    expect(afterScroll(kept, { y: 1200, height: 3000 })).toEqual(kept);
    expect(afterScroll(followed, { y: 1200.4, height: 3000 })).toEqual({ ...followed, at: { y: 1200.4, height: 3000 } });
  });

  it('a scroll elsewhere on a page of the same height is the reader’s, whatever they moved it with', () => {
    expect(afterScroll(kept, { y: 900, height: 3000 })).toEqual({ kind: 'left' });
    expect(afterScroll(followed, { y: 1201, height: 3000 })).toEqual({ kind: 'left' });
  });

  it('a page that changed height moved itself (scroll anchoring, its end coming closer): kept on, from where it is now', () => {
    expect(afterScroll(kept, { y: 1800, height: 3600 })).toEqual({ ...kept, at: { y: 1800, height: 3600 } });
    expect(afterScroll(followed, { y: 900, height: 2700 })).toEqual({ ...followed, at: { y: 900, height: 2700 } });
  });

  it('changes nothing while the page loads, nor once the page is left to the reader', () => {
    expect(afterScroll({ kind: 'loading' }, { y: 500, height: 3000 })).toEqual({ kind: 'loading' });
    expect(afterScroll({ kind: 'left' }, { y: 500, height: 3000 })).toEqual({ kind: 'left' });
  });
});
