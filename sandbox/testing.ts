import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADO_RESOURCE } from './entra/tokens';
import { LOGIN_HOST } from './hosts';
import type { Sandbox } from './index';

/** Helpers for tests that talk to a sandbox (REST, git, Entra sign-in). Not used by the sandbox itself. */

/** `Authorization: Basic base64(":" + pat)`, as the product sends it. */
export function patAuthorization(pat: string): string {
  return `Basic ${Buffer.from(`:${pat}`).toString('base64')}`;
}

/**
 * Environment for running git against the sandbox: its git config (host mapping + CA) and,
 * when a PAT is given, the credential as an `http.extraHeader` passed through the environment
 * (never in the URL, never in a config file).
 */
export function gitEnvFor(sandbox: Pick<Sandbox, 'gitConfig'>, opts: { pat?: string; home?: string; extra?: Record<string, string> } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: opts.home ?? tmpdir(),
    LANG: 'C.UTF-8',
    GIT_CONFIG_GLOBAL: sandbox.gitConfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Sandbox Test',
    GIT_AUTHOR_EMAIL: 'test@sandbox.test',
    GIT_COMMITTER_NAME: 'Sandbox Test',
    GIT_COMMITTER_EMAIL: 'test@sandbox.test',
    ...opts.extra,
  };
  if (opts.pat) {
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    env.GIT_CONFIG_VALUE_0 = `Authorization: ${patAuthorization(opts.pat)}`;
  }
  return env;
}

/**
 * A git credential helper script that answers with the PAT in `$SANDBOX_GIT_PAT`, so a test
 * can check that git asks for credentials after the sandbox's 401. Returns the script path.
 */
export async function writeEnvCredentialHelper(dir?: string): Promise<string> {
  const base = dir ?? (await mkdtemp(path.join(tmpdir(), 'ado-sandbox-cred-')));
  const file = path.join(base, 'git-credential-env');
  await writeFile(file, '#!/bin/sh\n[ "$1" = get ] || exit 0\necho username=pat\necho "password=$SANDBOX_GIT_PAT"\n');
  await chmod(file, 0o700);
  return file;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const TEST_REDIRECT_URI = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';

/** Signs `user` in through the Entra stand-in's form and returns the code the redirect carries. */
export async function entraAuthorizationCode(
  sandbox: Pick<Sandbox, 'fetch' | 'entraClientId'>,
  opts: { user: string; challenge: string; state?: string; scope?: string; redirectUri?: string },
): Promise<string> {
  const form = new URLSearchParams({
    client_id: sandbox.entraClientId,
    redirect_uri: opts.redirectUri ?? TEST_REDIRECT_URI,
    response_type: 'code',
    scope: opts.scope ?? `${ADO_RESOURCE}/.default offline_access openid`,
    state: opts.state ?? 'state-1',
    code_challenge: opts.challenge,
    code_challenge_method: 'S256',
    user: opts.user,
    action: 'signin',
  });
  const res = await sandbox.fetch(`https://${LOGIN_HOST}/organizations/oauth2/v2.0/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  const location = res.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (res.status !== 302 || !code) throw new Error(`sign-in did not redirect with a code: ${res.status} ${location ?? (await res.text())}`);
  return code;
}

export async function entraToken(sandbox: Pick<Sandbox, 'fetch' | 'entraClientId'>, fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await sandbox.fetch(`https://${LOGIN_HOST}/organizations/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: sandbox.entraClientId, ...fields }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A full authorization-code + PKCE sign-in; returns the token answer. */
export async function entraSignIn(sandbox: Pick<Sandbox, 'fetch' | 'entraClientId'>, user = 'ada'): Promise<{ accessToken: string; refreshToken: string }> {
  const { verifier, challenge } = pkcePair();
  const code = await entraAuthorizationCode(sandbox, { user, challenge });
  const { status, body } = await entraToken(sandbox, { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier });
  if (status !== 200) throw new Error(`token request failed: ${status} ${JSON.stringify(body)}`);
  return { accessToken: String(body.access_token), refreshToken: String(body.refresh_token) };
}
