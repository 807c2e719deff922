/**
 * The git histories seeded repositories start with, written as one `git fast-import` stream.
 * Commits have real author names, mail addresses and dates spread over days, and different
 * people touch different files, so "who changed this file" and branch ahead/behind have answers.
 * Everything is deterministic: the same seed gives the same commit ids on every run.
 */

export interface Person {
  name: string;
  email: string;
}

export type HistoryKind = 'rich' | 'basic';

export interface HistorySpec {
  /** Unique key; refs land in the pool as `refs/seed/{key}/heads/...`. */
  key: string;
  kind: HistoryKind;
  /** Shown in README and package.json. */
  title: string;
  mainBranch: string;
  /** Seed people in a fixed order; commits rotate through them. */
  people: Person[];
}

interface SeedCommit {
  branch: string;
  /** Index of the commit (in this history) the branch starts from; undefined = previous on same branch. */
  from?: number;
  person: number;
  day: number;
  message: string;
  files: Record<string, string>;
}

const BASE_TIME = Date.UTC(2026, 7, 3, 8, 30); // 2026-08-03 08:30 UTC

export function fastImportStream(specs: HistorySpec[]): string {
  const out: string[] = [];
  let mark = 0;
  for (const spec of specs) {
    const commits = commitsFor(spec);
    const marks: number[] = [];
    const lastOnBranch = new Map<string, number>();
    const offsetMinutes = hash(spec.key) % 300;
    commits.forEach((c, i) => {
      mark += 1;
      marks[i] = mark;
      const person = spec.people[c.person % spec.people.length]!;
      const when = Math.floor((BASE_TIME + c.day * 86_400_000 + (offsetMinutes + i * 47) * 60_000) / 1000);
      const ident = `${person.name} <${person.email}> ${when} +0000`;
      out.push(`commit refs/seed/${spec.key}/heads/${c.branch}`, `mark :${mark}`, `author ${ident}`, `committer ${ident}`);
      out.push(data(c.message));
      const parent = c.from !== undefined ? marks[c.from] : lastOnBranch.get(c.branch);
      if (parent !== undefined) out.push(`from :${parent}`);
      for (const [file, content] of Object.entries(c.files)) out.push(`M 100644 inline ${file}`, data(content));
      out.push('');
      lastOnBranch.set(c.branch, mark);
    });
  }
  out.push('done', '');
  return out.join('\n');
}

/** Rough byte size of a history's content, reported as the repository `size` before pushes. */
export function historySize(spec: HistorySpec): number {
  return commitsFor(spec).reduce(
    (sum, c) => sum + 220 + c.message.length + Object.values(c.files).reduce((s, f) => s + Buffer.byteLength(f), 0),
    0,
  );
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}`;
}

function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'repo';
}

function httpClient(body: string): string {
  return `export async function get(url: string): Promise<unknown> {\n${body}}\n`;
}

function commitsFor(spec: HistorySpec): SeedCommit[] {
  const main = spec.mainBranch;
  const name = slug(spec.title);
  const pkg = (version: string) => JSON.stringify({ name, version, private: true, scripts: { test: 'node --test' } }, null, 2) + '\n';
  const readme = (extra: string) =>
    `# ${spec.title}\n\nPart of the Fabrikam engineering sandbox.\n${extra}`;
  const base: SeedCommit[] = [
    {
      branch: main,
      person: 0,
      day: 0,
      message: 'Initial commit\n',
      files: {
        'README.md': readme(''),
        '.gitignore': 'node_modules/\ndist/\n',
        'package.json': pkg('1.0.0'),
        'src/index.ts': `export function main(): string {\n  return '${spec.title}';\n}\n`,
      },
    },
    {
      branch: main,
      person: 1,
      day: 1,
      message: 'Add HTTP client\n',
      files: { 'src/lib/http-client.ts': httpClient('  const res = await fetch(url);\n  return res.json();\n') },
    },
    {
      branch: main,
      person: 2,
      day: 3,
      message: 'Document the architecture\n',
      files: { 'docs/architecture.md': `# Architecture of ${spec.title}\n\nOne entry point, one HTTP client.\n` },
    },
    {
      branch: main,
      person: 3,
      day: 4,
      message: 'Add tests for the entry point\n',
      files: { 'tests/index.test.ts': `import { main } from '../src/index';\n\nif (main() !== '${spec.title}') throw new Error('main');\n` },
    },
  ];
  if (spec.kind === 'basic') {
    return [
      ...base,
      { branch: 'feature/readme-update', from: 3, person: 4, day: 6, message: 'Explain how to run the tests\n', files: { 'README.md': readme('\n## Tests\n\n`npm test`\n') } },
    ];
  }
  return [
    ...base,
    {
      branch: main,
      person: 4,
      day: 6,
      message: 'Handle HTTP errors in the client\n\nNon-2xx answers now throw with the status code.\n',
      files: {
        'src/lib/http-client.ts': httpClient('  const res = await fetch(url);\n  if (!res.ok) throw new Error(`HTTP ${res.status}`);\n  return res.json();\n'),
      },
    },
    {
      branch: main,
      person: 1,
      day: 8,
      message: 'Describe setup steps in README\n',
      files: { 'README.md': readme('\n## Setup\n\n1. `npm ci`\n2. `npm test`\n') },
    },
    { branch: main, person: 5, day: 9, message: 'Bump version to 1.1.0\n', files: { 'package.json': pkg('1.1.0') } },
    {
      branch: main,
      person: 2,
      day: 11,
      message: 'Fix a typo in the architecture notes\n',
      files: { 'docs/architecture.md': `# Architecture of ${spec.title}\n\nOne entry point and one HTTP client.\n` },
    },
    // index 8, 9: feature/retry-policy from "Describe setup steps" (5)
    { branch: 'feature/retry-policy', from: 5, person: 1, day: 12, message: 'Add a retry policy\n', files: { 'src/lib/retry.ts': 'export const maxAttempts = 3;\n' } },
    {
      branch: 'feature/retry-policy',
      person: 1,
      day: 13,
      message: 'Retry failed requests in the HTTP client\n',
      files: {
        'src/lib/http-client.ts': httpClient(
          "  for (let i = 1; ; i++) {\n    const res = await fetch(url);\n    if (res.ok || i >= 3) return res.json();\n  }\n",
        ),
      },
    },
    // 10, 11: deeply nested branch name and path
    {
      branch: 'feature/deep/nested/refactor',
      from: 6,
      person: 0,
      day: 12,
      message: 'Move components into nested folders\n',
      files: { 'src/deep/nested/module/component.ts': 'export const component = { name: "nested" };\n' },
    },
    {
      branch: 'feature/deep/nested/refactor',
      person: 3,
      day: 14,
      message: 'Simplify the nested component\n',
      files: { 'src/deep/nested/module/component.ts': 'export const component = "nested";\n' },
    },
    // 12: bugfix from "Handle HTTP errors" (4)
    {
      branch: 'bugfix/crash-on-start',
      from: 4,
      person: 2,
      day: 10,
      message: 'Guard against a missing configuration at start\n',
      files: { 'src/index.ts': `export function main(config?: object): string {\n  if (!config) return '${spec.title} (defaults)';\n  return '${spec.title}';\n}\n` },
    },
    // 13: a personal branch on top of main's tip (7)
    { branch: 'users/ada/spike', from: 7, person: 0, day: 15, message: 'Spike: try a plugin layout\n', files: { 'src/plugins/README.md': '# Plugins\n\nExperimental.\n' } },
    // 14: release branch cut at "Add tests" (3)
    { branch: 'release/2026.08', from: 3, person: 5, day: 5, message: 'Release notes for 2026.08\n', files: { 'CHANGELOG.md': '## 2026.08\n\n- First release\n' } },
  ];
}
