import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

/** One line of `{dataDir}/requests.jsonl`. Never holds credentials: no headers, secret query values masked. */
export interface LogEntry {
  time: string;
  method: string;
  host: string;
  path: string;
  status: number;
  ms: number;
  /** How the caller authenticated: pat, bearer, cookie, invalid (credentials refused) or none. */
  auth?: string;
  /** Set when a fault rule answered or delayed the request. */
  fault?: string;
}

const SECRET_PARAMS = /^(code|code_verifier|access_token|refresh_token|id_token|client_secret|token|password|state|session_state)$/i;

export class RequestLog {
  constructor(readonly file: string) {
    writeFileSync(file, '');
  }

  write(entry: LogEntry): void {
    appendFileSync(this.file, JSON.stringify(entry) + '\n');
  }

  read(): string {
    return readFileSync(this.file, 'utf8');
  }

  entries(): LogEntry[] {
    return this.read()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogEntry);
  }
}

/** Path and query with the values of secret-bearing parameters replaced. */
export function loggablePath(url: URL): string {
  const params = [...url.searchParams.entries()].map(([k, v]) => `${encodeURIComponent(k)}=${SECRET_PARAMS.test(k) ? '***' : encodeURIComponent(v)}`);
  return url.pathname + (params.length ? `?${params.join('&')}` : '');
}
