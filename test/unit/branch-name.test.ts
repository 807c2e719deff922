import * as fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { aliasOf, branchTemplateProblem, DEFAULT_BRANCH_TEMPLATE, expandBranchTemplate, gitBranchNameProblem, slugify } from '../../src/shared/branch-name';

/** git's own verdict: `git check-ref-format --branch` (no repository needed). */
const gitAccepts = (name: string) => {
  try {
    execFileSync('git', ['check-ref-format', `refs/heads/${name}`], { stdio: 'ignore' });
    return !name.startsWith('-');
  } catch {
    return false;
  }
};

describe('slugify', () => {
  it('keeps letters and digits, lower-cased, joined by single dashes, accents dropped', () => {
    expect(slugify('Crash when the cart is empty!')).toBe('crash-when-the-cart-is-empty');
    expect(slugify('  Café: déjà vu — 2 times  ')).toBe('cafe-deja-vu-2-times');
    expect(slugify('Plugin layout: load plugins from a folder')).toBe('plugin-layout-load-plugins-from-a-folder');
    expect(slugify('日本語 タイトル')).toBe('日本語-タイトル');
    expect(slugify('!!!')).toBe('');
  });

  it('cuts at a word boundary, and a single long word at the limit', () => {
    expect(slugify('one two three four', 9)).toBe('one-two');
    expect(slugify('abcdefghijklmnop', 5)).toBe('abcde');
  });
});

describe('expandBranchTemplate', () => {
  const item = { alias: 'ada', id: 42, title: 'Show the delivery date [v2]', type: 'User Story' };

  it('fills the default template', () => {
    expect(expandBranchTemplate(DEFAULT_BRANCH_TEMPLATE, item)).toBe('users/ada/42-show-the-delivery-date-v2');
    expect(expandBranchTemplate('{type}/{id}', item)).toBe('user-story/42');
  });

  it('makes a name git accepts from any title and alias', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: 2 ** 31 }), (title, alias, id) => {
        const name = expandBranchTemplate(DEFAULT_BRANCH_TEMPLATE, { alias, id, title, type: 'Bug' });
        expect(gitBranchNameProblem(name)).toBeUndefined();
        expect(gitAccepts(name), name).toBe(true);
      }),
      { numRuns: 30 },
    );
    // Each run asks git itself: slow on a busy machine.
  }, 30_000);
});

describe('gitBranchNameProblem agrees with git check-ref-format', () => {
  const names = ['main', 'users/ada/1-x', 'a b', 'a..b', 'a//b', '/a', 'a/', 'a.', '.a', 'a/.b', 'a.lock', 'a/b.lock/c', 'a@{b', '-a', 'a~b', 'a^b', 'a:b', 'a?b', 'a*b', 'a[b', 'a\\b', 'café', 'x\u0001y'];
  it.each(names)('%s', (name) => {
    expect(gitBranchNameProblem(name) === undefined, name).toBe(gitAccepts(name));
  });
  it('refuses @ alone, which git reads as HEAD', () => expect(gitBranchNameProblem('@')).toBeDefined());
});

describe('branchTemplateProblem', () => {
  it('accepts the default and other sensible templates', () => {
    for (const t of [DEFAULT_BRANCH_TEMPLATE, 'feature/{id}', '{type}/{id}-{title-slug}', 'wi{id}']) expect(branchTemplateProblem(t), t).toBeUndefined();
  });

  it('says what is wrong', () => {
    expect(branchTemplateProblem('')).toMatch(/Enter a template/);
    expect(branchTemplateProblem('users/{user}/{id}')).toMatch(/Unknown placeholder \{user\}/);
    expect(branchTemplateProblem('users/{alias}')).toMatch(/Include \{id\}/);
    expect(branchTemplateProblem('feature {id}')).toMatch(/spaces/);
    expect(branchTemplateProblem('feature/{id}/')).toMatch(/end with/);
    expect(branchTemplateProblem('feature/{id')).toMatch(/brace/);
  });

  it('refuses a template whose branch would be over 250 characters for a long title, though a short one fits', () => {
    const long = `${'a'.repeat(235)}/{title-slug}`;
    expect(expandBranchTemplate(long, { alias: 'ada', id: 1, title: 'Sample title', type: 'Task' }).length).toBeLessThanOrEqual(250);
    expect(branchTemplateProblem(long)).toMatch(/longer than 250 characters/);
    // The longest each placeholder takes: alias 40, id 10 digits, title 48, type 30.
    const fits = `${'a'.repeat(250 - 128 - 2)}/{alias}{id}{title-slug}/{type}`;
    expect(branchTemplateProblem(fits)).toBeUndefined();
    expect(branchTemplateProblem(`a${fits}`)).toMatch(/longer than 250/);
  });
});

describe('aliasOf', () => {
  it('takes the part of the sign-in name a person is called by', () => {
    expect(aliasOf('ada@fabrikam.test')).toBe('ada');
    expect(aliasOf('FABRIKAM\\ada')).toBe('ada');
    expect(aliasOf(undefined, 'Ada Lovelace')).toBe('Ada Lovelace');
  });
});
