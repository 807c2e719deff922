import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as anchors from '../../src/content/anchors';
import { FEATURES } from '../../src/content/features';

/**
 * The anchor list: every place a feature looks for comes from it, each with its public source, and
 * none hangs off a name no public source shows (see sandbox/web/MARKUP.md, which lists them).
 */
const LISTED = Object.values(anchors).filter((v): v is anchors.Anchor => typeof v === 'object' && v !== null && 'selector' in v);

/** Names the project once used that no public source shows. */
const INVENTED = ['#__bolt-clone', '.repos-empty-repository', '.repos-branches-page', '.repos-forks-page', '.repos-pr-create-page', '.page-content', '.repos-clone-url', '.repos-pr-reviewers', 'vc-', 'vss-', 'ms-CommandBar', 'data-sandbox'];

describe('anchors', () => {
  it('every feature anchors only to places from the list', () => {
    for (const f of FEATURES) {
      expect(f.anchors.length, f.id).toBeGreaterThan(0);
      for (const a of f.anchors) expect(LISTED, `${f.id}: ${a.selector}`).toContain(a);
    }
  });

  it('each place says its source and confidence, and applies to some page', () => {
    for (const a of LISTED) {
      expect(a.source.trim(), a.selector).not.toBe('');
      expect(['high', 'medium-high', 'medium']).toContain(a.confidence);
      expect(a.pages.length, a.selector).toBeGreaterThan(0);
    }
  });

  it('no place hangs off an invented name or text', () => {
    const selectors = [...LISTED.map((a) => a.selector), anchors.REVIEWERS_SECTIONS, anchors.CREATE_BRANCH_LABELS, ...anchors.BRANCH_LABELS];
    for (const s of selectors) {
      for (const bad of INVENTED) expect(s, s).not.toContain(bad);
      // Text is translated: never `:contains`, `[aria-label="…"]` with words, or `[title=`.
      expect(s).not.toMatch(/:contains|aria-label=|title=|placeholder=/);
    }
  });

  it('MARKUP.md names every selector the features use, with its source', () => {
    const markup = readFileSync(new URL('../../sandbox/web/MARKUP.md', import.meta.url), 'utf8');
    for (const a of LISTED) expect(markup, a.selector).toContain(`\`${a.selector}\``);
  });

  it('the Files page bar is anchored beside, never inside, the command bar Azure DevOps lays out', () => {
    for (const a of [anchors.FILES_COMMANDBAR, anchors.FILES_HEADER_COMMANDBAR, anchors.BRANCHES_COMMANDBAR]) expect(a.place).toBe('beside');
  });
});
