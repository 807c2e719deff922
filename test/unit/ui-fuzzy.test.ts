import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundNames, fuzzyMatch, fuzzyQuery, isSubsequence, looseBound, nameColumns, NO_MATCH, prepare, scoreAt, scoreBound } from '../../src/popup/fuzzy';
import { indexRepos, queryTokens, searchLists, searchRepos, stampOf, type RepoEntry, type RepoResults } from '../../src/popup/repo-search';
import { sortRepos } from '../../src/shared/list-cache';
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
    // Few letters, so that queries often match and have positions to check; beyond ASCII too: an
    // emoji (a surrogate pair, one character) and its halves alone, accents, and any code unit.
    const letters = fc.constantFrom('a', 'b', 'A', 'B', '-', ' ', 'é', 'É', '😀', '\ud83d', '\ude00');
    const char = fc.oneof({ weight: 8, arbitrary: letters }, { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) });
    let matched = 0;
    fc.assert(
      fc.property(fc.string({ unit: letters, maxLength: 6 }), fc.string({ unit: char, minLength: 8, maxLength: 40 }), (q, text) => {
        const query = q.toLowerCase();
        const target = prepare(text);
        fc.pre(query.length > 0 && target.lower.length === text.length);
        const m = fuzzyMatch(query, target, true);
        expect(m !== undefined).toBe(isSubsequence(query, target.lower));
        if (!m) return;
        matched++;
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
    // The positions are checked only for matches: many must have been made (about 180 a run).
    expect(matched).toBeGreaterThan(60);
    // 500 runs take ~1 s alone and took 6.6 s at load 12, past the default 5 s.
  }, 30_000);
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

const isSeparator = (ch: string) => ' -_./\\:'.includes(ch);
const isLower = (ch: string) => ch >= 'a' && ch <= 'z';
const isUpper = (ch: string) => ch >= 'A' && ch <= 'Z';
const isDigit = (ch: string) => ch >= '0' && ch <= '9';

/** The scoring rules written out one placement at a time, for ASCII names: what the matcher must maximise. */
function placementScore(query: string, name: string, positions: readonly number[]): number {
  const bonus = (j: number) => {
    const ch = name[j]!;
    const prev = name[j - 1] ?? '';
    if (j === 0) return 10;
    if (isSeparator(prev) && !isSeparator(ch)) return 8;
    if ((isLower(prev) && isUpper(ch)) || (!isDigit(prev) && isDigit(ch))) return 7;
    return 0;
  };
  let total = 0;
  positions.forEach((j, i) => {
    total += 16 + bonus(j);
    if (i === 0) total += bonus(j);
    else total += j === positions[i - 1]! + 1 ? 5 : -3 - (j - positions[i - 1]! - 2);
  });
  const lower = name.toLowerCase();
  return total + (lower === query ? 40 : lower.startsWith(query) ? 20 : 0);
}

/** The best score over every placement of the query's letters in order, by trying them all. */
function bruteForceScore(query: string, name: string): number | undefined {
  const lower = name.toLowerCase();
  let best: number | undefined;
  const walk = (placed: number[]) => {
    if (placed.length === query.length) {
      const placement = placementScore(query, name, placed);
      if (best === undefined || placement > best) best = placement;
      return;
    }
    for (let j = (placed.at(-1) ?? -1) + 1; j < lower.length; j++) if (lower[j] === query[placed.length]) walk([...placed, j]);
  };
  walk([]);
  return best;
}

describe('fuzzyMatch against the rules written out', () => {
  it('reads long names to their end', () => {
    const long = `${'x'.repeat(300)}-web`;
    expect(fuzzyMatch('web', prepare(long), true)).toEqual({ score: bruteForceScore('web', long), positions: [301, 302, 303] });
    expect(fuzzyMatch('xw', prepare(long), true)!.positions).toEqual([299, 301]);
    expect(fuzzyMatch('wx', prepare(long))).toBeUndefined();
  });

  it('finds the best placement of the letters, and reports a placement that scores it', () => {
    // Few distinct letters: names repeat them, so there are many placements to choose from.
    const cases = [
      { name: fc.string({ unit: fc.constantFrom(...'aabbAB-. '), maxLength: 12 }), query: fc.string({ unit: fc.constantFrom(...'ab'), minLength: 1, maxLength: 4 }) },
      { name: fc.string({ unit: fc.constantFrom(...'abcAB-_. 12'), maxLength: 11 }), query: fc.string({ unit: fc.constantFrom(...'abc-. 1'), minLength: 1, maxLength: 4 }) },
    ];
    for (const { name, query } of cases) {
      fc.assert(
        fc.property(query, name, (q, text) => {
          const expected = bruteForceScore(q, text);
          const m = fuzzyMatch(q, prepare(text), true);
          expect(m?.score).toBe(expected);
          if (m) expect(placementScore(q, text, m.positions)).toBe(expected);
          expect(fuzzyMatch(q, prepare(text))?.score).toBe(expected);
        }),
        { numRuns: 1000 },
      );
    }
  });

  it('bounds the score from above, loosely or not, and has no bound exactly where there is no match', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcz'), minLength: 1, maxLength: 3 }), fc.array(fc.string({ unit: fc.constantFrom(...'abczAB-. 1'), maxLength: 12 }), { minLength: 1, maxLength: 8 }), (q, texts) => {
        const query = fuzzyQuery(q);
        const cols = nameColumns(texts.map(prepare));
        texts.forEach((_, i) => {
          const exact = scoreAt(query, cols, i);
          for (const bound of [scoreBound(query, cols, i), looseBound(query, cols, i)]) {
            if (exact === NO_MATCH) expect(bound).toBe(NO_MATCH);
            else expect(bound).toBeGreaterThanOrEqual(exact);
          }
        });
      }),
      { numRuns: 1000 },
    );
    // Below any name starting with the two letters: such names make the best few without being scored.
    const cols = nameColumns(['ab', 'xab', 'x-a-b', 'xAb', 'xa'].map(prepare));
    expect(looseBound(fuzzyQuery('ab'), cols, 1)).toBeLessThan(scoreAt(fuzzyQuery('ab'), nameColumns([prepare('ab-very-long-name-x')]), 0));
    expect([0, 1, 2, 3, 4].map((i) => looseBound(fuzzyQuery('ab'), cols, i) === NO_MATCH)).toEqual([false, false, false, false, true]);
  });
});

/** The search as plainly as it can be written: score every entry, sort them all, cut. */
function plainSearch(index: readonly RepoEntry[], query: string, limit: number) {
  const tokens = queryTokens(query);
  if (tokens.length === 0) return { ids: index.slice(0, limit).map((e) => e.repo.id), scores: index.slice(0, limit).map(() => 0), total: index.length };
  const scored: { e: RepoEntry; score: number }[] = [];
  for (const e of index) {
    let total = 0;
    for (const t of tokens) {
      const inName = fuzzyMatch(t, e.name)?.score ?? -Infinity;
      const inProject = (fuzzyMatch(t, e.project)?.score ?? -Infinity) * 0.75;
      total += Math.max(inName, inProject);
    }
    if (total > -Infinity) scored.push({ e, score: total });
  }
  scored.sort((a, b) => b.score - a.score || a.e.name.lower.length - b.e.name.lower.length || a.e.rank - b.e.rank);
  const kept = scored.slice(0, limit);
  return { ids: kept.map((s) => s.e.repo.id), scores: kept.map((s) => s.score), total: scored.length };
}

const outline = (r: RepoResults) => ({ ids: r.hits.map((h) => h.entry.repo.id), scores: r.hits.map((h) => h.score), total: r.total });
const everything = (r: RepoResults) => ({ ...outline(r), positions: r.hits.map((h) => [h.namePositions, h.projectPositions]) });

const repoLists = fc
  .array(
    fc.record({
      name: fc.string({ unit: fc.constantFrom(...'abcdeAB-_.12'), minLength: 1, maxLength: 12 }),
      project: fc.constantFrom('Alpha', 'alpha', 'Beta Core', 'cab', 'Data-Eng 2'),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rows) => rows.map((r, i) => ({ ...repo(r.name, r.project), id: `r${i}` })));

type Edit = { type: 'type'; ch: string } | { type: 'back' } | { type: 'clear' } | { type: 'insert'; at: number; ch: string };
const letters = fc.constantFrom(...'abcde1 -./AB');
const edits = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: letters.map((ch): Edit => ({ type: 'type', ch })) },
    { weight: 3, arbitrary: fc.constant<Edit>({ type: 'back' }) },
    { weight: 1, arbitrary: fc.constant<Edit>({ type: 'clear' }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('insert' as const), at: fc.nat(), ch: letters }) },
  ),
  { maxLength: 30 },
);
function applyEdit(query: string, edit: Edit): string {
  if (edit.type === 'type') return query + edit.ch;
  if (edit.type === 'back') return query.slice(0, -1);
  if (edit.type === 'clear') return '';
  const at = edit.at % (query.length + 1);
  return query.slice(0, at) + edit.ch + query.slice(at);
}

describe('searchRepos while typing', () => {
  it('gives, keystroke by keystroke, exactly what a fresh search of the same query gives', () => {
    fc.assert(
      fc.property(repoLists, edits, fc.constantFrom(1, 3, 100), (repos, steps, limit) => {
        const index = indexRepos(repos);
        let query = '';
        for (const step of steps) {
          query = applyEdit(query, step);
          // A copy of the index has no history to narrow from.
          expect(everything(searchRepos(index, query, limit))).toEqual(everything(searchRepos([...index], query, limit)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('ranks and counts like scoring and sorting every entry', () => {
    fc.assert(
      fc.property(repoLists, edits, fc.constantFrom(1, 3, 100), (repos, steps, limit) => {
        const index = indexRepos(repos);
        let query = '';
        for (const step of steps) {
          query = applyEdit(query, step);
          expect(outline(searchRepos(index, query, limit))).toEqual(plainSearch(index, query, limit));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps what it learned from one list away from another', () => {
    const first = indexRepos([repo('alpha-api', 'Core'), repo('alpine', 'Core'), repo('beta', 'Core')]);
    const second = indexRepos([repo('gamma', 'Core'), repo('alpha-web', 'Web'), repo('delta', 'Core')]);
    expect(searchRepos(first, 'al').total).toBe(2);
    expect(searchRepos(second, 'alp').hits.map((h) => h.entry.repo.name)).toEqual(['alpha-web']);
    expect(searchRepos(first, 'alph').hits.map((h) => h.entry.repo.name)).toEqual(['alpha-api']);
  });

  it('finds again what a backspace or an edit in the middle brings back', () => {
    const index = indexRepos(REPOS);
    expect(names('fabw')).toEqual(['fabrikam-web']);
    const typed = ['f', 'fa', 'fab', 'fabw', 'fab', 'fa', 'fabr', 'fibr', 'fiber m', 'fiber', 'fiber mob'];
    for (const q of typed) expect(outline(searchRepos(index, q))).toEqual(outline(searchRepos([...index], q)));
    expect(searchRepos(index, 'fab').total).toBe(3);
    expect(searchRepos(index, 'fiber mob').hits.map((h) => h.entry.repo.name)).toEqual(['Fiber Mobile']);
  });
});

const ranked = (q: string, repos: RepoSummary[], limit?: number) => searchRepos(indexRepos(repos), q, limit).hits.map((h) => h.entry.repo.name);

describe('searchRepos ranking', () => {
  it('puts the exact name, then prefixes, then word starts, then scattered letters', () => {
    const repos = [repo('wide-eyed-bob', 'P'), repo('fabrikam-web', 'P'), repo('web-portal', 'P'), repo('web', 'P'), repo('webber', 'P')];
    expect(ranked('web', repos)).toEqual(['web', 'webber', 'web-portal', 'fabrikam-web', 'wide-eyed-bob']);
  });

  it('ranks one letter by where it stands: first letter, then a word start, then a camel hump, then anywhere', () => {
    const repos = ['api', 'tools-pipeline', 'DataPump', 'payments', 'p', 'zzp'].map((n) => repo(n, 'Core'));
    expect(ranked('p', repos)).toEqual(['p', 'payments', 'tools-pipeline', 'DataPump', 'api', 'zzp']);
  });

  it('breaks ties by shorter name, then project and name order, also when the list is cut', () => {
    const repos = ['alpha-2', 'alpha-10', 'alpha-1', 'alpha', 'alphas'].map((n) => repo(n, 'Core'));
    expect(ranked('alp', repos)).toEqual(['alpha', 'alphas', 'alpha-1', 'alpha-2', 'alpha-10']);
    expect(ranked('alp', repos, 3)).toEqual(['alpha', 'alphas', 'alpha-1']);
  });

  it('ranks repositories that only their project matches by name length too, wherever they stand in the list', () => {
    const repos = [repo('a1', 'Cab Core'), repo('ab', 'Cab Core'), repo('b', 'Cab Core'), repo('abc', 'Other')];
    expect(ranked('cc', repos, 1)).toEqual(['b']);
    expect(ranked('cc', repos, 2)).toEqual(['b', 'a1']);
    expect(searchRepos(indexRepos(repos), 'cc', 1).total).toBe(3);
  });

  it('matches words against the project when the repository name lacks them, counting them a little less', () => {
    const repos = [repo('billing-api', 'Contoso Retail'), repo('contoso-billing', 'Fabrikam'), repo('orders', 'Contoso Retail')];
    expect(ranked('contoso bill', repos)).toEqual(['contoso-billing', 'billing-api']);
    const hit = searchRepos(indexRepos(repos), 'contoso bill').hits[1]!;
    expect(hit.namePositions).toEqual([0, 1, 2, 3]);
    expect(hit.projectPositions).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

const indexedIds = (list: RepoSummary[]) => indexRepos(list).map((e) => e.repo.id);

describe('indexRepos', () => {
  it('takes a list already in its order (a cached list) as it is, and orders any other the same', () => {
    fc.assert(
      fc.property(repoLists, (repos) => {
        const sorted = sortRepos(repos);
        expect(indexedIds(sorted)).toEqual(sorted.map((r) => r.id));
        expect(indexedIds(repos)).toEqual(indexedIds(sorted));
        expect(indexRepos(sorted).map((e) => e.rank)).toEqual(sorted.map((_, i) => i));
      }),
      { numRuns: 300 },
    );
  });


  it('orders by project, then name, in natural order, without regard to case', () => {
    const repos = [repo('web', 'beta'), repo('Api', 'Beta'), repo('repo10', 'alpha'), repo('repo2', 'alpha'), repo('api', 'beta'), repo('Zed', 'BETA')];
    const order = indexRepos(repos).map((e) => `${e.repo.project.name}/${e.repo.name}`);
    // Beta, beta and BETA are one project to the reader: their repositories sort together by name; equal names keep the list's order.
    expect(order).toEqual(['alpha/repo2', 'alpha/repo10', 'Beta/Api', 'beta/api', 'beta/web', 'BETA/Zed']);
    expect(indexRepos(repos).map((e) => e.rank)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

const exactOne = (q: string, name: string) => scoreAt(fuzzyQuery(q), nameColumns([prepare(name)]), 0);
const boundOne = (q: string, name: string) => scoreBound(fuzzyQuery(q), nameColumns([prepare(name)]), 0);

describe('scoreBound', () => {
  it('is the exact score of a name that starts with the query (letters a–z), whatever else the name has at its word starts', () => {
    // Later letters that also stand at word starts elsewhere in the name (o, t, s) or at its start (c) no longer raise the bound.
    for (const [q, name] of [['contoso', 'Contoso.Orders.Tools'], ['co', 'Contoso.Catalog'], ['cac', 'cache-cache'], ['web', 'web-eyes-bob']]) expect(boundOne(q!, name!)).toBe(exactOne(q!, name!));
    // A camel hump right after the letter before counts both.
    expect(boundOne('ab', 'aBc')).toBe(exactOne('ab', 'aBc'));
  });

  it('is never below the score, and says no match exactly when there is none', () => {
    const text = fc.string({ unit: fc.constantFrom(...'abcAB-_. 1é'), minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(text, text, (q, name) => {
        const query = fuzzyQuery(q.toLowerCase());
        const cols = nameColumns([prepare(name)]);
        const exact = scoreAt(query, cols, 0);
        const bound = scoreBound(query, cols, 0);
        expect(bound === NO_MATCH).toBe(exact === NO_MATCH);
        expect(bound).toBeGreaterThanOrEqual(exact);
      }),
      { numRuns: 150 },
    );
  });
});

describe('boundNames', () => {
  it('gives each name looseBound, and lists exactly the names it can match, in the order asked', () => {
    const text = fc.string({ unit: fc.constantFrom(...'abcAB-_. 1é'), maxLength: 14 });
    const long = fc.constantFrom(`${'x'.repeat(260)}ab`, `a${'b'.repeat(300)}`, `${'c'.repeat(255)}-ba`);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcz-1'), minLength: 1, maxLength: 3 }), fc.array(fc.oneof({ weight: 9, arbitrary: text }, { weight: 1, arbitrary: long }), { minLength: 1, maxLength: 12 }), fc.boolean(), (q, texts, reversed) => {
        const query = fuzzyQuery(q);
        const cols = nameColumns(texts.map(prepare));
        const ids = Int32Array.from(texts.keys());
        if (reversed) ids.reverse();
        const out = new Float64Array(texts.length).fill(-1);
        const matched = new Int32Array(texts.length);
        const count = boundNames(query, cols, ids, ids.length, out, matched);
        const expected = [...ids].filter((i) => looseBound(query, cols, i) !== NO_MATCH);
        expect(Array.from(matched.subarray(0, count))).toEqual(expected);
        for (const i of ids) expect(out[i]).toBe(expected.includes(i) ? looseBound(query, cols, i) : -1);
      }),
      { numRuns: 1000 },
    );
  });
});

/** Every entry of every list scored and sorted, as `plainSearch`, ties by list then rank. */
function plainAcross(indexes: RepoEntry[][], query: string, limit: number) {
  const each = indexes.map((index) => plainSearch(index, query, Number.MAX_SAFE_INTEGER));
  const all = each.flatMap((found, list) => found.ids.map((id, k) => ({ id, list, score: found.scores[k]!, entry: indexes[list]!.find((e) => e.repo.id === id)! })));
  // An empty query lists every index in its order.
  if (queryTokens(query).length > 0) all.sort((a, b) => b.score - a.score || a.entry.name.lower.length - b.entry.name.lower.length || a.list - b.list || a.entry.rank - b.entry.rank);
  const kept = all.slice(0, limit);
  return { ids: kept.map((h) => `${h.list}:${h.id}`), scores: kept.map((h) => h.score), total: each.reduce((n, found) => n + found.total, 0) };
}
const across = (r: RepoResults) => ({ ids: r.hits.map((h) => `${h.list}:${h.entry.repo.id}`), scores: r.hits.map((h) => h.score), total: r.total });

/** Types `steps` into a search of `lists`, checking each keystroke against scoring every entry. */
function searchesLikeScoringAll(lists: Parameters<typeof indexRepos>[0][], steps: Edit[], limit: number): void {
  const indexes = lists.map((repos) => indexRepos(repos));
  let query = '';
  for (const step of steps) {
    query = applyEdit(query, step);
    expect(across(searchLists(indexes, query, limit))).toEqual(plainAcross(indexes, query, limit));
  }
}

describe('searchLists: several organizations at once', () => {
  it('ranks and counts like scoring every entry of every list, and says which list each hit is from', () => {
    fc.assert(
      fc.property(fc.array(repoLists, { minLength: 1, maxLength: 3 }), edits, fc.constantFrom(1, 3, 100), (lists, steps, limit) => searchesLikeScoringAll(lists, steps, limit)),
      { numRuns: 200 },
    );
  });

  it('ranks and counts like scoring every entry when names repeat across projects and scores tie, typing on and back', () => {
    // Few name parts: the same names in many projects, many equal scores and lengths, projects that
    // match alone, and long names; what the search skips (names, projects, the rest of a name's or a
    // project's entries once the best few turn one down) must never change what it answers.
    const part = fc.constantFrom('ab', 'Ab', 'abc', 'b', 'ca', 'cab', 'a1', 'x'.repeat(250));
    const name = fc.oneof({ weight: 2, arbitrary: part }, { weight: 1, arbitrary: fc.tuple(part, fc.constantFrom('', '-', '.'), part).map(([x, sep, y]) => `${x}${sep}${y}`) });
    const project = fc.constantFrom('Alpha', 'ab', 'Cab Core', 'b-a', 'BA', 'Other');
    const list = fc.array(fc.record({ name, project }), { minLength: 1, maxLength: 100 }).map((rows) => sortRepos(rows.map((r, i) => ({ ...repo(r.name, r.project), id: `r${i}` }))));
    const typing = fc.array(
      fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...'abc').map((ch): Edit => ({ type: 'type', ch })) },
        { weight: 1, arbitrary: fc.constantFrom(...'1-. ').map((ch): Edit => ({ type: 'type', ch })) },
        { weight: 2, arbitrary: fc.constant<Edit>({ type: 'back' }) },
        { weight: 1, arbitrary: fc.constant<Edit>({ type: 'clear' }) },
      ),
      { maxLength: 10 },
    );
    fc.assert(
      fc.property(fc.array(list, { minLength: 1, maxLength: 3 }), typing, fc.constantFrom(1, 4, 20), (lists, steps, limit) => searchesLikeScoringAll(lists, steps, limit)),
      { numRuns: 300 },
    );
  });

  it('lists the organizations in the order given, and ties go to the earlier one', () => {
    const contoso = indexRepos([repo('web', 'Shop'), repo('api', 'Shop')]);
    const fabrikam = indexRepos([repo('web', 'Fiber'), repo('website', 'Fiber')]);
    const empty = searchLists([contoso, fabrikam], '', 3);
    expect(empty.total).toBe(4);
    expect(empty.hits.map((h) => [h.list, h.entry.repo.name])).toEqual([
      [0, 'api'],
      [0, 'web'],
      [1, 'web'],
    ]);
    expect(searchLists([contoso, fabrikam], 'web').hits.map((h) => [h.list, h.entry.repo.name])).toEqual([
      [0, 'web'],
      [1, 'web'],
      [1, 'website'],
    ]);
    expect(searchLists([fabrikam, contoso], 'web').hits.map((h) => [h.list, h.entry.repo.name])).toEqual([
      [0, 'web'],
      [1, 'web'],
      [0, 'website'],
    ]);
  });
});

const sortedUnion = (a: number[], b: number[]) => [...new Set([...a, ...b])].toSorted((x, y) => x - y);

/**
 * The words scored as plainly as they can be: every entry of every list, each word scoring in the
 * name or (× 0.75) the project, whichever is better, and highlighted there; sorted, cut.
 */
function plainWords(indexes: RepoEntry[][], query: string, limit: number) {
  const words = queryTokens(query);
  const all = indexes.flatMap((index, list) =>
    index.flatMap((entry) => {
      let total = 0;
      let namePositions: number[] = [];
      let projectPositions: number[] = [];
      for (const word of words) {
        const inName = fuzzyMatch(word, entry.name, true);
        const inProject = fuzzyMatch(word, entry.project, true);
        if (!inName && !inProject) return [];
        if (inName && (!inProject || inName.score >= inProject.score * 0.75)) {
          total += inName.score;
          namePositions = sortedUnion(namePositions, inName.positions);
        } else {
          total += inProject!.score * 0.75;
          projectPositions = sortedUnion(projectPositions, inProject!.positions);
        }
      }
      return [{ list, entry, score: total, namePositions, projectPositions }];
    }),
  );
  all.sort((a, b) => b.score - a.score || a.entry.name.lower.length - b.entry.name.lower.length || a.list - b.list || a.entry.rank - b.entry.rank);
  return { hits: all.slice(0, limit).map((h) => ({ id: `${h.list}:${h.entry.repo.id}`, score: h.score, namePositions: h.namePositions, projectPositions: h.projectPositions })), total: all.length };
}

const withPositions = (r: RepoResults) => ({ hits: r.hits.map((h) => ({ id: `${h.list}:${h.entry.repo.id}`, score: h.score, namePositions: h.namePositions, projectPositions: h.projectPositions })), total: r.total });

describe('searchLists: one- and two-letter words', () => {
  it('ranks, counts and highlights like scoring every entry, when many names start with the letters and tie', () => {
    // The shortcuts of short words: one letter walked by the names it starts, two letters bounded
    // without scoring, names with the top bound offered first and the rest cut off at the worst
    // kept. Names that start with the letters (as a prefix, a hump, after a separator), tie in
    // score and length, repeat across projects and lists, and names too long for the letter spans.
    const part = fc.constantFrom('ab', 'Ab', 'aB', 'a-b', 'a', 'b', 'ba', 'abc', 'Cab', 'ca', 'a1b', 'bb', `a${'x'.repeat(260)}b`);
    const name = fc.oneof({ weight: 5, arbitrary: part }, { weight: 1, arbitrary: fc.tuple(part, fc.constantFrom('', '-', '.', ' '), part).map(([x, sep, y]) => `${x}${sep}${y}`) });
    const project = fc.constantFrom('Alpha', 'ab', 'a', 'Cab Core', 'b-a', 'BA', 'Other');
    const list = fc.array(fc.record({ name, project }), { minLength: 1, maxLength: 60 }).map((rows) => sortRepos(rows.map((r, i) => ({ ...repo(r.name, r.project), id: `r${i}` }))));
    const word = fc.string({ unit: fc.constantFrom(...'abcx'), minLength: 1, maxLength: 2 });
    fc.assert(
      fc.property(fc.array(list, { minLength: 1, maxLength: 3 }), fc.array(word, { minLength: 1, maxLength: 6 }), fc.constantFrom(1, 2, 4, 20, 100), (lists, words, limit) => {
        const indexes = lists.map((repos) => indexRepos(repos));
        for (const w of words) {
          // Typed: the first letter, then the word (which narrows from it); and afresh, with no history.
          for (const q of [w.slice(0, 1), w]) expect(withPositions(searchLists(indexes, q, limit))).toEqual(plainWords(indexes, q, limit));
          expect(withPositions(searchLists(lists.map((repos) => indexRepos(repos)), w, limit))).toEqual(plainWords(indexes, w, limit));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("takes a later name's earlier entry over an earlier name's later one, at equal score and length", () => {
    // `ab` (in two projects) and `Ab` score alike and are as long: the second `ab` ranks after `Ab`.
    const index = indexRepos(sortRepos([repo('ab', 'Alpha'), repo('Ab', 'Alpha'), repo('ab', 'Other'), repo('ax', 'Other')]));
    for (const q of ['a', 'ab']) expect(withPositions(searchLists([index], q, 2))).toEqual(plainWords([index], q, 2));
    expect(searchLists([index], 'ab', 2).hits.map((h) => h.entry.repo.id)).toEqual(['Alpha/ab', 'Alpha/Ab']);
  });
});

describe('searchLists: several words', () => {
  it('ranks, counts and highlights like scoring every entry, while a second word is typed after a first', () => {
    // A project's word, then the start of a name's (as "contoso w"): entries matched by their project
    // alone, by their name alone, or by each in part; many hits sharing a project, highlighted there.
    const part = fc.constantFrom('web', 'Web', 'api', 'contoso', 'Contoso', 'north', 'wind', 'in', 'inv', 'w', 'ab', 'x');
    const name = fc.tuple(part, fc.constantFrom('', '-', '.', ' ', '_'), part).map(([x, sep, y]) => `${x}${sep}${y}`);
    const project = fc.constantFrom('Contoso Retail', 'Northwind', 'Northwind Web', 'Web', 'ab', 'Other');
    const list = fc.array(fc.record({ name, project }), { minLength: 1, maxLength: 50 }).map((rows) => sortRepos(rows.map((r, i) => ({ ...repo(r.name, r.project), id: `r${i}` }))));
    const first = fc.constantFrom('contoso', 'northwind', 'north', 'web', 'w', 'in', 'ab');
    const next = fc.string({ unit: fc.constantFrom(...'winvebaco'), minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(list, { minLength: 1, maxLength: 3 }), first, fc.array(next, { minLength: 1, maxLength: 2 }), fc.constantFrom(1, 3, 10, 100), (lists, word, more, limit) => {
        const indexes = lists.map((repos) => indexRepos(repos));
        const typed = [word, ...more].join(' ');
        for (let end = 1; end <= typed.length; end++) {
          const query = typed.slice(0, end);
          expect(withPositions(searchLists(indexes, query, limit))).toEqual(plainWords(indexes, query, limit));
        }
        // Back to the first word, the words in another order (a word's scores are kept by its place), and afresh.
        for (const query of [word, [...more, word].join(' '), typed]) expect(withPositions(searchLists(indexes, query, limit))).toEqual(plainWords(indexes, query, limit));
        expect(withPositions(searchLists(lists.map((repos) => indexRepos(repos)), typed, limit))).toEqual(plainWords(indexes, typed, limit));
      }),
      { numRuns: 300 },
    );
  });

  it("gives each word a stamp of its own, the same while it is remembered and never another word's after forgetting", () => {
    // More words than are remembered: a stamp given again to another word would read the first one's scores.
    const owner = new Map<number, string>();
    for (let k = 0; k < 2500; k++) {
      const word = `stamp${k}`;
      const stamp = stampOf(word);
      expect(owner.get(stamp) ?? word).toBe(word);
      owner.set(stamp, word);
      expect(stampOf(word)).toBe(stamp);
    }
  });

  it('scores alike after it has seen too many words to keep their scores', () => {
    const index = indexRepos(sortRepos([repo('Contoso.Web', 'Contoso Retail'), repo('web-api', 'Contoso Retail'), repo('contoso-wiki', 'Other'), repo('x-web', 'Web')]));
    const queries = ['contoso', 'contoso w', 'contoso we', 'web contoso'];
    for (const q of queries) searchLists([index], q, 3);
    for (let k = 0; k < 1500; k++) searchLists([index], `w${k}`, 3);
    for (const q of queries) expect(withPositions(searchLists([index], q, 3))).toEqual(plainWords([index], q, 3));
  });
});
