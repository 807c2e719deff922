import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../src/shared/messages';

const pullRequest = {
  type: 'prs.create',
  profileId: 'p1',
  repo: { id: 'r1', name: 'Platform', project: 'Platform' },
  sourceBranch: 'feature/x',
  targetBranch: 'main',
  title: 'Add the thing',
  isDraft: false,
  reviewerIds: [],
};

const message = (m: object) => (parseRequest(m, 'extension') as { error: { message: string } }).error.message;

describe('a request refused by its contract', () => {
  it('says how long a field is, its limit and how much to cut, not zod’s words', () => {
    // Azure DevOps takes a pull request's description up to 4000 characters (git 7.1 spec, Update a pull request).
    const refused = parseRequest({ ...pullRequest, description: 'x'.repeat(4213) }, 'extension');
    expect(refused).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'The description is 4,213 characters; it can have at most 4,000. Shorten it by 213.', field: 'description' },
    });
    expect(parseRequest({ ...pullRequest, description: 'x'.repeat(4000) }, 'extension').ok).toBe(true);
  });

  it('says so for every field too long, in the words the forms use, nested or not', () => {
    expect(message({ ...pullRequest, title: 'T'.repeat(401) })).toBe('The title is 401 characters; it can have at most 400. Shorten it by 1.');
    // Counted as checked: a token is trimmed first.
    expect(message({ type: 'profiles.addPat', organization: 'fabrikam', pat: ` ${'p'.repeat(1002)} ` })).toBe('The token is 1,002 characters; it can have at most 1,000. Shorten it by 2.');
    expect(message({ type: 'profiles.update', id: 'p1', patch: { cloneRoot: '/'.repeat(1001) } })).toBe('The clone folder is 1,001 characters; it can have at most 1,000. Shorten it by 1.');
    expect(message({ ...pullRequest, reviewerIds: Array.from({ length: 102 }, (_, i) => `u${i}`) })).toBe('The reviewers are 102; at most 100 can be given. Remove 2.');
    expect(message({ type: 'settings.setBranchTemplate', template: 'x'.repeat(250) })).toBe('The template is 250 characters; it can have at most 200. Shorten it by 50.');
  });

  it('names the field of any other problem', () => {
    const refused = parseRequest({ ...pullRequest, title: '  ' }, 'extension') as { error: { message: string } };
    expect(refused.error.message).toMatch(/^The title was refused: /);
    expect(parseRequest({ type: 'nothing' }, 'extension')).toMatchObject({ error: { code: 'BAD_REQUEST', message: 'Unknown request type "nothing".' } });
  });
});
