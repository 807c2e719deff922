import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzyMatch, isSubsequence, prepare } from '../../src/popup/fuzzy';
import { indexRepos, queryTokens, searchRepos } from '../../src/popup/repo-search';
import type { RepoSummary } from '../../src/shared/messages';

const score = (q: string, name: string) => fuzzyMatch(q, prepare(name))?.score;

describe('fuzzyMatch', () => {
  it('matches the query letters in order, whatever their case, and nothing else', () => {
    expect(fuzzyMatch('fweb', prepare('Fabrikam-Web'))).toBeDefined();
    expect(fuzzyMatch('bew', prepare('fabrikam-web'))).toBeUndefined();
    expect(fuzzyMatch('platforms', prepare('platform'))).toBeUndefined();
    expect(fuzzyMatch('x', prepare(''))).toBeUndefined();
  });

  it('marks the letters it matched, preferring word starts', () => {
    expect(fuzzyMatch('fw', prepare('fabrikam-web'), true)!.positions).toEqual([0, 9]);
    expect(fuzzyMatch('ds', prepare('DesignSystem'), true)!.positions).toEqual([0, 6]);
    expect(fuzzyMatch('api', prepare('fabrikam-api'), true)!.positions).toEqual([9, 10, 11]);
    // "web" as a word beats the scattered w…e…b earlier in the name.
    expect(fuzzyMatch('web', prepare('wide-eyed bob web'), true)!.positions).toEqual([14, 15, 16]);
  });

  it('ranks exact names, then prefixes, then word starts and runs above scattered letters', () => {
    expect(score('docs', 'docs')!).toBeGreaterThan(score('docs', 'docs-site')!);
    expect(score('docs', 'docs-site')!).toBeGreaterThan(score('docs', 'old-docs')!);
    expect(score('fw', 'fabrikam-web')!).toBeGreaterThan(score('fw', 'firewall')!);
    expect(score('plat', 'platform')!).toBeGreaterThan(score('plat', 'p-l-a-t')!);
    expect(score('infra', 'platform-infra')!).toBeGreaterThan(score('infra', 'interface-rules-a')!);
  });

  it('is a subsequence test with consistent positions, for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), fc.string({ maxLength: 40 }), (q, text) => {
        const query = q.toLowerCase();
        const target = prepare(text);
        fc.pre(query.length > 0 && target.lower.length === text.length);
        const m = fuzzyMatch(query, target, true);
        expect(m !== undefined).toBe(isSubsequence(query, target.lower));
        if (!m) return;
        expect(m.positions).toHaveLength(query.length);
        m.positions.forEach((p, i) => {
          expect(target.lower[p]).toBe(query[i]);
          if (i > 0) expect(p).toBeGreaterThan(m.positions[i - 1]!);
        });
        // Scoring alone (no positions) gives the same score.
        expect(fuzzyMatch(query, target)!.score).toBe(m.score);
      }),
      { numRuns: 500 },
    );
  });
});

const repo = (name: string, project: string): RepoSummary => ({ id: `${project}/${name}`, name, project: { id: project, name: project } });
const REPOS = [
  repo('fabrikam-web', 'Fabrikam Fiber'),
  repo('fabrikam-api', 'Fabrikam Fiber'),
  repo('Fiber Mobile', 'Fabrikam Fiber'),
  repo('platform-infra', 'Platform'),
  repo('Platform', 'Platform'),
  repo('notebooks', 'Data Science'),
  repo('models', 'Data Science'),
  repo('firewall', 'Security'),
];
const names = (q: string, limit?: number) => searchRepos(indexRepos(REPOS), q, limit).hits.map((h) => h.entry.repo.name);

describe('searchRepos', () => {
  it('lists everything by project, then name, for an empty query', () => {
    const all = searchRepos(indexRepos(REPOS), '  ', 3);
    expect(all.total).toBe(REPOS.length);
    expect(all.hits.map((h) => h.entry.repo.name)).toEqual(['models', 'notebooks', 'fabrikam-api']);
  });

  it('ranks the closest names first', () => {
    expect(names('fabweb')[0]).toBe('fabrikam-web');
    expect(names('platform')[0]).toBe('Platform');
    expect(names('fw')[0]).toBe('fabrikam-web');
  });

  it('lets words match the project name, and splits on spaces and slashes', () => {
    expect(names('data sci').toSorted()).toEqual(['models', 'notebooks']);
    expect(names('platform/infra')).toEqual(['platform-infra']);
    expect(names('fiber mob')[0]).toBe('Fiber Mobile');
    expect(queryTokens(' Platform/ infra ')).toEqual(['platform', 'infra']);
  });

  it('requires every word to match somewhere', () => {
    expect(names('data zzz')).toEqual([]);
    expect(searchRepos(indexRepos(REPOS), 'data zzz').total).toBe(0);
  });

  it('keeps at most `limit` hits but counts them all, with highlight positions for what it keeps', () => {
    const r = searchRepos(indexRepos(REPOS), 'a', 2);
    expect(r.hits).toHaveLength(2);
    expect(r.total).toBe(REPOS.length);
    const hit = searchRepos(indexRepos(REPOS), 'sci mod').hits[0]!;
    expect(hit.entry.repo.name).toBe('models');
    expect(hit.namePositions).toEqual([0, 1, 2]);
    expect(hit.projectPositions).toEqual([5, 6, 7]);
  });
});
