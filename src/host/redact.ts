/**
 * Removes credentials from text before it is logged or sent back: the exact secrets the host was
 * given, plus anything shaped like one (auth headers, passwords in URLs, PAT-like tokens), so a
 * secret that reaches a message by an unforeseen path is still masked.
 */

const MASK = '[REDACTED]';

const PATTERNS: readonly RegExp[] = [
  // Authorization / Proxy-Authorization header values, whatever the scheme.
  /\b((?:proxy-)?authorization\s*[:=]\s*)[^\r\n"']+/gi,
  // "Basic xxx" / "Bearer xxx" anywhere.
  /\b(basic|bearer)(\s+)[A-Za-z0-9+/=._~-]{8,}/gi,
  // user:password@ in URLs.
  /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s/]+(@)/gi,
  // Azure DevOps PATs (52 base32 characters, or the newer 84-character form) and JWTs.
  /\b[a-z2-7]{52}\b/g,
  /\b[A-Za-z0-9]{84}\b/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g,
];

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Masks `secret` and its encodings from now on (the Basic form git sends, URL-encoded). */
  addSecret(secret: string): void {
    if (secret.length < 4) return;
    this.secrets.add(secret);
    this.secrets.add(Buffer.from(`:${secret}`, 'utf8').toString('base64'));
    this.secrets.add(encodeURIComponent(secret));
  }

  forgetSecret(secret: string): void {
    this.secrets.delete(secret);
    this.secrets.delete(Buffer.from(`:${secret}`, 'utf8').toString('base64'));
    this.secrets.delete(encodeURIComponent(secret));
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(MASK);
    out = out.replace(PATTERNS[0]!, `$1${MASK}`);
    out = out.replace(PATTERNS[1]!, `$1$2${MASK}`);
    out = out.replace(PATTERNS[2]!, `$1${MASK}$2`);
    for (const pattern of PATTERNS.slice(3)) out = out.replace(pattern, MASK);
    return out;
  }
}
