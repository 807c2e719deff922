import { describe, expect, it } from 'vitest';
import { repoNameProblem } from '../../src/shared/ado/repo-name';

describe('repoNameProblem (Azure Repos naming restrictions)', () => {
  const allowed = ['my-repo', 'My Repo', 'repo.v2', 'a', 'x'.repeat(64), 'Ünïcödé-名前', 'App_Data2', 'binaries', 'COM10', 'web-config', 'repo_'];
  it.each(allowed)('accepts %j', (name) => expect(repoNameProblem(name)).toBeUndefined());

  const refused: Array<[string, RegExp]> = [
    ['', /Enter a name/],
    ['x'.repeat(65), /65 characters.*at most 64/],
    ['.', /cannot be used/],
    ['..', /cannot be used/],
    ['.hidden', /period/],
    ['trailing.', /period/],
    ['_underscore', /underscore/],
    [' padded', /space/],
    ['padded ', /space/],
    ['tab\there', /control characters/],
    ['new\nline', /control characters/],
    ['emoji😀', /emoji/],
    ['App_Browsers', /reserves/],
    ['app_code', /reserves/],
    ['App_Data', /reserves/],
    ['App_GlobalResources', /reserves/],
    ['App_LocalResources', /reserves/],
    ['App_Themes', /reserves/],
    ['App_WebResources', /reserves/],
    ['bin', /reserves/],
    ['Web.config', /reserves/],
    ['CON', /reserves/],
    ['prn', /reserves/],
    ['AUX', /reserves/],
    ['nul', /reserves/],
    ['COM1', /reserves/],
    ['com9', /reserves/],
    ['LPT1', /reserves/],
    ['LPT9', /reserves/],
    ...[...'\\/:*?"<>|;#${},+=[]'].map((c): [string, RegExp] => [`a${c}b`, new RegExp(`“${c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}”`)]),
  ];
  it.each(refused)('refuses %j', (name, why) => expect(repoNameProblem(name)).toMatch(why));
});
