import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { Repository, RepositoryList, listOf } from '../../src/shared/ado/schemas';

z.config({ jitless: true });
const full = listOf(Repository);

// Mostly the right type; now and then null, absent or another type. Mostly, so that whole
// repositories come out well-formed often enough for the hand check's acceptance to be compared too.
const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: a, weight: 120 }, fc.constant(null), fc.constant(undefined), fc.integer(), fc.boolean(), fc.string({ maxLength: 3 }));
const project = fc.record({ id: maybe(fc.uuid()), name: maybe(fc.string()), description: maybe(fc.string()), state: maybe(fc.constant('wellFormed')), revision: fc.integer() }, { requiredKeys: ['id', 'name'] });
const repository = fc.record(
  {
    id: maybe(fc.uuid()),
    name: maybe(fc.string()),
    url: maybe(fc.webUrl()),
    project: maybe(project),
    remoteUrl: maybe(fc.webUrl()),
    defaultBranch: maybe(fc.constant('refs/heads/main')),
    size: maybe(fc.nat()),
    isDisabled: maybe(fc.boolean()),
    parentRepository: maybe(fc.record({ id: maybe(fc.uuid()), name: maybe(fc.string()), project: maybe(project), isFork: maybe(fc.boolean()) }, { requiredKeys: ['id', 'name'] })),
    extra: fc.anything(),
  },
  { requiredKeys: ['id', 'name', 'url', 'project', 'remoteUrl'] },
);
const good = { id: 'r1', name: 'Repo', url: 'https://dev.azure.com/o/_apis/git/repositories/r1', project: { id: 'p1', name: 'P', description: null }, remoteUrl: 'https://dev.azure.com/o/P/_git/Repo', size: 0, webUrl: null };

describe('the repository list checked by hand', () => {
  it('gives what listOf(Repository) gives, for any answer: the same repositories or the same first issue', () => {
    const body = fc.oneof(fc.record({ count: fc.nat(), value: fc.array(repository, { maxLength: 4 }) }), fc.array(repository, { maxLength: 4 }), fc.anything());
    let accepted = 0;
    fc.assert(
      fc.property(body, (generated) => {
        const text = JSON.stringify(generated) ?? 'null';
        const expected = full.safeParse(JSON.parse(text));
        const actual = RepositoryList.safeParse(JSON.parse(text));
        expect(actual.success).toBe(expected.success);
        if (expected.success && expected.data.length > 0) accepted++;
        if (expected.success) expect(actual.data).toEqual(expected.data);
        else expect({ path: actual.error?.issues[0]?.path, message: actual.error?.issues[0]?.message }).toEqual({ path: expected.error.issues[0]?.path, message: expected.error.issues[0]?.message });
      }),
      { numRuns: 600 },
    );
    // The comparison says something about well-formed repositories only if many lists of them were made.
    expect(accepted).toBeGreaterThan(50);
  }, 60_000);

  it('keeps well-formed repositories as parsed (no copy), turning optional nulls into undefined', () => {
    const body = JSON.parse(JSON.stringify({ count: 2, value: [good, { ...good, id: 'r2' }] })) as { value: object[] };
    const list = RepositoryList.parse(body);
    expect(list[0]).toBe(body.value[0]);
    expect(list[0]!.webUrl).toBeUndefined();
    expect(list[0]!.project.description).toBeUndefined();
    expect(list).toEqual(full.parse(JSON.parse(JSON.stringify({ value: [good, { ...good, id: 'r2' }] }))));
  });

  it('names the field of a malformed answer', () => {
    const result = RepositoryList.safeParse({ value: [good, { ...good, project: { id: 'p1' } }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['value', 1, 'project', 'name']);
  });
});
