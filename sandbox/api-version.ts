import type { IncomingMessage } from 'node:http';
import { AzdoError } from './errors';

const WEBAPI = 'Microsoft.VisualStudio.Services.WebApi';

/** `api-version` from the query, or from the Accept header (`application/json;api-version=7.1`). */
export function requestedApiVersion(url: URL, req: IncomingMessage): string | undefined {
  const q = url.searchParams.get('api-version');
  if (q !== null) return q;
  const m = /api-version\s*=\s*([^;,\s]+)/i.exec(String(req.headers.accept ?? ''));
  return m?.[1];
}

/**
 * Checks the api-version like the real service: present, well formed, not above what the
 * server supports, and `-preview` for preview-only resources. Returns the error to answer.
 */
export function checkApiVersion(
  version: string | undefined,
  opts: { method: string; required: boolean; preview: boolean; max: number },
): AzdoError | undefined {
  if (version === undefined) {
    if (!opts.required) return undefined;
    return new AzdoError(
      400,
      `No api-version was supplied for the "${opts.method}" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. '?api-version=1.0').`,
      'VssVersionNotSpecifiedException',
      `${WEBAPI}.VssVersionNotSpecifiedException, ${WEBAPI}`,
    );
  }
  const m = /^(\d+)\.(\d+)(-preview(\.\d+)?)?$/i.exec(version);
  if (!m) {
    return new AzdoError(
      400,
      `The requested api-version '${version}' is not in a valid format. Use 'major.minor' optionally followed by '-preview' (e.g. '7.1' or '7.1-preview.1').`,
      'VssInvalidApiVersionException',
      `${WEBAPI}.VssInvalidApiVersionException, ${WEBAPI}`,
    );
  }
  const number = Number(`${m[1]}.${m[2]}`);
  if (number > opts.max) {
    return new AzdoError(
      400,
      `The requested REST API version of ${m[1]}.${m[2]} is out of range for this server. The latest REST API version this server supports is ${opts.max.toFixed(1)}.`,
      'VssVersionOutOfRangeException',
      `${WEBAPI}.VssVersionOutOfRangeException, ${WEBAPI}`,
    );
  }
  if (opts.preview && !m[3]) {
    return new AzdoError(
      400,
      `The requested version "${version}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "${version}-preview"`,
      'VssInvalidPreviewVersionException',
      `${WEBAPI}.VssInvalidPreviewVersionException, ${WEBAPI}`,
    );
  }
  return undefined;
}
