import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GITIGNORE_FALLBACK, builtInGitignore } from '../../src/shared/ado/gitignore-templates';
import { LICENSES, isLicenseId, licenseFieldProblem, renderLicense } from '../../src/shared/ado/licenses';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

const body = (s: string) => collapse(s.slice(s.indexOf('Permission is hereby granted')));

describe('renderLicense', () => {
  it.each(LICENSES.map((l) => [l.id, l] as const))('%s renders without leftover placeholders', (id, info) => {
    const text = renderLicense(id, { year: 2026, holder: 'Fabrikam, Inc.' });
    expect(text).not.toMatch(/\{\{|\}\}/);
    expect(text.endsWith('\n')).toBe(true);
    if (info.hasCopyrightLine) {
      expect(text).toMatch(/^Copyright \(c\) 2026,? Fabrikam, Inc\.$/m);
    } else {
      expect(text).not.toContain('Fabrikam');
    }
  });

  it('keeps the standard wording', () => {
    expect(renderLicense('MIT', { year: 2026, holder: 'A' })).toContain(
      'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED',
    );
    const bsd3 = renderLicense('BSD-3-Clause', { year: 2026, holder: 'A' });
    expect(bsd3).toContain('3. Neither the name of the copyright holder nor the names of its');
    expect(renderLicense('BSD-2-Clause', { year: 2026, holder: 'A' })).not.toContain('3. Neither');
    expect(renderLicense('ISC', { year: 2026, holder: 'A' })).toContain('Permission to use, copy, modify, and/or distribute this software for any');
    expect(renderLicense('Unlicense', { year: 2026, holder: 'A' })).toMatch(/^This is free and unencumbered software released into the public domain\./);
    const apache = renderLicense('Apache-2.0', { year: 2026, holder: 'A' });
    expect(apache).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(apache).toContain('9. Accepting Warranty or Additional Liability.');
    expect(apache.length).toBeGreaterThan(11_000);
  });

  it('matches the Apache-2.0 and MIT texts that installed npm packages ship', () => {
    const licenseFiles = fs
      .readdirSync(path.join(repoRoot, 'node_modules'))
      .flatMap((d) => (d.startsWith('@') ? fs.readdirSync(path.join(repoRoot, 'node_modules', d)).map((s) => `${d}/${s}`) : [d]))
      .map((d) => path.join(repoRoot, 'node_modules', d, 'LICENSE'))
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f, 'utf8'));
    const apache = renderLicense('Apache-2.0', { year: 2026, holder: 'A' });
    const apacheCopies = licenseFiles.filter((t) => t.includes('Apache License') && t.includes('APPENDIX'));
    expect(apacheCopies.length).toBeGreaterThan(0);
    // Many packages ship the canonical file byte for byte: ours must be identical to one of them.
    expect(apacheCopies.some((t) => t.replace(/^\n/, '') === apache)).toBe(true);
    const mitCopies = licenseFiles.filter((t) => t.includes('Permission is hereby granted, free of charge'));
    expect(mitCopies.some((t) => body(t) === body(renderLicense('MIT', { year: 2026, holder: 'A' })))).toBe(true);
  });

  it('keeps $-patterns in a holder literal and accepts year ranges', () => {
    expect(renderLicense('MIT', { year: '2020-2026', holder: "Dollar $& Co $'" })).toContain("Copyright (c) 2020-2026 Dollar $& Co $'\n");
  });

  it('refuses unknown ids, a missing holder and a bad year', () => {
    expect(isLicenseId('MIT')).toBe(true);
    expect(isLicenseId('toString')).toBe(false);
    expect(() => renderLicense('GPL-9', { year: 2026, holder: 'A' })).toThrow(/Unknown license “GPL-9”/);
    expect(() => renderLicense('MIT', { year: 2026, holder: '  ' })).toThrow(/holder/);
    expect(() => renderLicense('MIT', { year: 'last year', holder: 'A' })).toThrow(/year/);
    expect(() => renderLicense('MIT', { year: 2026, holder: 'A\nB' })).toThrow(/one line/);
    expect(renderLicense('Unlicense', { year: 2026, holder: '' })).toContain('unlicense.org');
  });

  it('names the field at fault, so a form can put the focus there whatever the wording', () => {
    expect(licenseFieldProblem('MIT', { year: 'last year', holder: '' })?.field).toBe('year');
    expect(licenseFieldProblem('MIT', { year: 2026, holder: '' })?.field).toBe('holder');
    expect(licenseFieldProblem('MIT', { year: 2026, holder: 'A\nB' })?.field).toBe('holder');
    expect(licenseFieldProblem('MIT', { year: '2020 – 2026', holder: 'A' })).toBeUndefined();
    expect(licenseFieldProblem('Unlicense', { year: 2026, holder: '' })).toBeUndefined();
  });
});

describe('built-in .gitignore templates', () => {
  it('covers the common Azure DevOps template names with content', () => {
    const names = GITIGNORE_FALLBACK.map((t) => t.name);
    for (const n of ['VisualStudio', 'Node', 'Python', 'Java', 'Go', 'Rust']) expect(names).toContain(n);
    expect(new Set(names).size).toBe(names.length);
    for (const t of GITIGNORE_FALLBACK) expect(t.content.split('\n').length).toBeGreaterThan(3);
  });

  it('finds a template by name, case and suffix aside', () => {
    expect(builtInGitignore('node')).toContain('node_modules/');
    expect(builtInGitignore('VisualStudio.gitignore')).toContain('.vs/');
    expect(builtInGitignore('Cobol')).toBeUndefined();
  });
});
