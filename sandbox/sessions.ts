import { randomToken } from './ids';

/** Browser sessions on dev.azure.com: the `UserAuthentication` cookie a signed-in page sends. */
export const SESSION_COOKIE = 'UserAuthentication';

export class Sessions {
  private readonly byCookie = new Map<string, string>();

  create(userId: string): string {
    const value = randomToken(24);
    this.byCookie.set(value, userId);
    return value;
  }

  userId(cookieValue: string): string | undefined {
    return this.byCookie.get(cookieValue);
  }

  end(cookieValue: string): void {
    this.byCookie.delete(cookieValue);
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}
