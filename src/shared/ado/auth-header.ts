/**
 * An `Authorization` header value split in two, so the client can tell a PAT from an OAuth token.
 * `Session` sends no header at all: the browser's signed-in session for the page's own origin
 * (its cookies) is the credential, as in the web UI's own REST calls.
 */
export interface AuthHeader {
  scheme: 'Basic' | 'Bearer' | 'Session';
  value: string;
}

/** The page's own signed-in session: no header of ours. */
export const PAGE_SESSION: AuthHeader = { scheme: 'Session', value: '' };

/** Azure DevOps takes a PAT as Basic auth with an empty user name: base64(":" + pat). */
export function basicAuthHeader(pat: string): AuthHeader {
  const token = pat.trim();
  if (token === '') throw new Error('The personal access token is empty.');
  if (/[\s\p{Cc}]/u.test(token)) throw new Error('The personal access token contains spaces or control characters.');
  return { scheme: 'Basic', value: toBase64(new TextEncoder().encode(`:${token}`)) };
}

/** The strings that must never appear in an error: the header value and, for Basic, the PAT in it. */
export function secretsOf(header: AuthHeader): string[] {
  const secrets = [header.value];
  if (header.scheme === 'Basic') {
    try {
      const decoded = atob(header.value);
      const pat = decoded.slice(decoded.indexOf(':') + 1);
      if (pat.length >= 8) secrets.push(pat);
    } catch {
      // Not base64: nothing more to hide than the value itself.
    }
  }
  return secrets.filter((s) => s.length > 0);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
