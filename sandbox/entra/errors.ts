import { randomGuid } from '../ids';

/** Entra ID's error answer: `{error, error_description: "AADSTSnnn: ...", error_codes, timestamp, trace_id, correlation_id, error_uri}`. */
export interface EntraError {
  error: string;
  code: number;
  message: string;
}

export function entraError(error: string, code: number, message: string): EntraError {
  return { error, code, message };
}

export function entraErrorBody(e: EntraError): Record<string, unknown> {
  const traceId = randomGuid();
  const correlationId = randomGuid();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    error: e.error,
    error_description: `AADSTS${e.code}: ${e.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [e.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${e.code}`,
  };
}

export const missingParameter = (name: string) =>
  entraError('invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
