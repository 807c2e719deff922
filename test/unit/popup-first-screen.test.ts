import { describe, expect, it } from 'vitest';
import { firstScreen } from '../../src/popup/first-screen';
import { SNAPSHOT_FORMAT, firstScreenHtml, type Snapshot } from '../../src/popup/snapshot';

const snapshot = (names: string[], extra: Partial<Snapshot> = {}): Snapshot => ({
  format: SNAPSHOT_FORMAT,
  profiles: [
    { id: 'ada', name: 'Ada (contoso)', organization: 'contoso' },
    { id: 'bob', name: 'Bob (fabrikam)', organization: 'fabrikam' },
  ],
  activeId: 'ada',
  listed: [
    { id: 'ada', total: 1000 },
    { id: 'bob', total: 234 },
  ],
  rows: names.map((name, i) => ({ list: i % 2, repo: { id: `id-${i}`, name, project: { id: 'p', name: 'Core' } } })),
  ...extra,
});

describe('the first screen’s markup', () => {
  it('is the app drawing the snapshot: its rows, the status line, the focused search field, no live data yet', () => {
    const html = firstScreen(snapshot(['api', 'web', 'docs']));
    const rows = [...html.matchAll(/<li [^>]*role="option"[^>]*data-repo="([^"]+)" data-org="([^"]+)"/g)].map((m) => `${m[2]}/${m[1]}`);
    expect(rows).toEqual(['contoso/api', 'fabrikam/web', 'contoso/docs']);
    expect(html).toMatch(/class="repos-tab" data-snapshot[ >]/);
    expect(html).toMatch(/<input id="repo-search"[^>]*autofocus/);
    expect(html).toContain('1,234 repositories in 2 organizations');
    // Drawn later than it was rendered: no "updated … ago", which would be as old as the snapshot.
    expect(html).not.toContain('updated');
  });

  it('escapes every name: a repository name is text, never markup', () => {
    const html = firstScreen(snapshot(['<img src=x onerror=alert(1)>', '"><script>alert(2)</script>']));
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)>');
  });

  it('is drawn only by the version of the extension that rendered it', () => {
    const kept = { ...snapshot(['api']), html: '<p>kept</p>', version: '1.2.0' };
    expect(firstScreenHtml(kept, '1.2.0')).toBe('<p>kept</p>');
    expect(firstScreenHtml(kept, '1.3.0')).toBeUndefined();
    expect(firstScreenHtml(snapshot(['api']), '1.2.0')).toBeUndefined();
    expect(firstScreenHtml(undefined, '1.2.0')).toBeUndefined();
  });
});
