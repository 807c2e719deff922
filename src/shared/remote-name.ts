/**
 * A remote name from a project name, as forks as remotes names them: `Security Team` → `security-team`.
 * One the companion accepts (PROTOCOL.md, `addRemote`: 64 characters, a letter or digit first, no
 * `..`), with room for a `-{pull request id}` after it.
 */
export const remoteNameFor = (project: string) =>
  project
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .slice(0, 48)
    .replace(/\.lock$/, '')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '') || 'fork';
