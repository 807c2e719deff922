import { describe, expect, it } from 'vitest';
import {
  credentialOverrides,
  filterOverrides,
  otherPromisorRemotes,
  parseConfigList,
  programOverrides,
  unsafeForNetwork,
  type ConfigEntry,
} from '../../src/host/repo-config';

const entry = (scope: string, key: string, value: string | null = 'x'): ConfigEntry => ({ scope, key, value });
const token = { kind: 'pat' as const, token: 't' };

describe('parseConfigList', () => {
  it('reads scope, key and value, a value with line breaks, and a key without value', () => {
    const output = 'global\0user.name\nAnn\0local\0core.bare\nfalse\0local\0alias.x\nline 1\nline 2\0command\0feature.flag\0';
    expect(parseConfigList(output)).toEqual([
      entry('global', 'user.name', 'Ann'),
      entry('local', 'core.bare', 'false'),
      entry('local', 'alias.x', 'line 1\nline 2'),
      entry('command', 'feature.flag', null),
    ]);
    expect(parseConfigList('')).toEqual([]);
  });
});

describe('filterOverrides', () => {
  it("switches off the drivers the repository defines or changes, keeping the user's commands", () => {
    const entries = [
      entry('global', 'filter.lfs.clean', 'git-lfs clean -- %f'),
      entry('global', 'filter.lfs.required', 'true'),
      entry('local', 'filter.lfs.process', 'evil'),
      entry('local', 'filter.My.Driver.clean', 'evil'),
      entry('global', 'filter.untouched.clean', 'mine'),
    ];
    expect(filterOverrides(entries)).toEqual([
      ['filter.lfs.clean', 'git-lfs clean -- %f'],
      ['filter.lfs.smudge', ''],
      ['filter.lfs.process', ''],
      ['filter.lfs.required', 'true'],
      ['filter.My.Driver.clean', ''],
      ['filter.My.Driver.smudge', ''],
      ['filter.My.Driver.process', ''],
      ['filter.My.Driver.required', 'false'],
    ]);
  });
});

describe('credentialOverrides', () => {
  it("without a token: the list reset, then the user's helpers in their order; with one: nothing more (gitEnv resets it)", () => {
    const entries = [
      entry('system', 'credential.helper', 'manager'),
      entry('local', 'credential.helper', 'evil'),
      entry('global', 'credential.https://dev.azure.com.helper', 'store'),
      entry('worktree', 'credential.https://dev.azure.com.helper', 'evil2'),
    ];
    expect(credentialOverrides(entries, undefined)).toEqual([
      ['credential.helper', ''],
      ['credential.helper', 'manager'],
      ['credential.https://dev.azure.com.helper', 'store'],
    ]);
    expect(credentialOverrides(entries, token)).toEqual([]);
  });
});

describe('programOverrides', () => {
  it("replaces what the repository names by the user's value or none", () => {
    const entries = [
      entry('local', 'core.sshcommand', 'evil'),
      entry('local', 'core.askpass', 'evil'),
      entry('global', 'core.askpass', '/usr/bin/ksshaskpass'),
      entry('local', 'core.alternaterefscommand', 'evil'),
    ];
    expect(programOverrides(entries, {})).toEqual([
      ['core.sshCommand', 'ssh'],
      ['core.askPass', '/usr/bin/ksshaskpass'],
      ['core.alternateRefsCommand', ''],
    ]);
    expect(programOverrides(entries, { GIT_SSH: "/opt/my ssh/plink's" })[0]).toEqual(['core.sshCommand', `'/opt/my ssh/plink'\\''s'`]);
    expect(programOverrides(entries, { GIT_SSH_COMMAND: 'ssh -v' }).map(([k]) => k)).not.toContain('core.sshCommand');
    expect(programOverrides([entry('global', 'core.sshcommand', 'mine')], {})).toEqual([]);
  });
});

describe('unsafeForNetwork and otherPromisorRemotes', () => {
  it('refuses http and proxy settings of the repository only, not harmless tuning', () => {
    const entries = [
      entry('local', 'http.sslverify', 'false'),
      entry('local', 'http.https://dev.azure.com/.proxy', 'http://evil'),
      entry('worktree', 'remote.origin.proxy', 'http://evil'),
      entry('local', 'http.postbuffer', '524288000'),
      entry('global', 'http.sslverify', 'false'),
      entry('local', 'url.https://evil/.insteadof', 'https://dev.azure.com/'),
      entry('local', 'fetch.bundleuri', 'https://evil/bundles'),
      entry('local', 'bundle.one.uri', 'https://evil/one.bundle'),
    ];
    expect(unsafeForNetwork(entries)).toEqual(['http.sslverify', 'http.https://dev.azure.com/.proxy', 'remote.origin.proxy', 'fetch.bundleuri', 'bundle.one.uri']);
  });

  it('names the promisor remotes other than the one fetched', () => {
    const entries = [
      entry('local', 'extensions.partialclone', 'origin'),
      entry('local', 'remote.origin.promisor', 'true'),
      entry('local', 'remote.other.promisor', null),
      entry('local', 'remote.off.promisor', 'no'),
    ];
    expect(otherPromisorRemotes(entries, 'origin')).toEqual(['other']);
    expect(otherPromisorRemotes(entries, 'other')).toEqual(['origin']);
  });
});
