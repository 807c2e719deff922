import type { ErrorCode } from '../shared/host-protocol';

/** An error the host reports to the extension as `{code, message}`. */
export class HostError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HostError';
  }
}
