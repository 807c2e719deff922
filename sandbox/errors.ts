import type { ServerResponse } from 'node:http';

/**
 * An error answered in Azure DevOps' JSON shape:
 * `{"$id":"1","innerException":null,"message":...,"typeName":...,"typeKey":...,"errorCode":0,"eventId":3000}`.
 * Throw it from a route handler; the server turns it into the response.
 */
export class AzdoError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly typeKey: string,
    readonly typeName: string,
    readonly headers: Record<string, string | string[]> = {},
    /** Some exceptions carry them, right after `$id` (AccessCheckException). */
    readonly customProperties?: Record<string, unknown>,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      $id: '1',
      ...(this.customProperties ? { customProperties: this.customProperties } : {}),
      innerException: null,
      message: this.message,
      typeName: this.typeName,
      typeKey: this.typeKey,
      errorCode: 0,
      eventId: 3000,
    };
  }
}

const WEBAPI = 'Microsoft.VisualStudio.Services.WebApi';
const FRAMEWORK = 'Microsoft.TeamFoundation.Framework.Server';

/** The most common errors, with the type names the real service uses. */
export const azdoErrors = {
  /** A branch, tag or commit that names nothing in the repository (commits, diffs). */
  unresolvableVersion(type: 'branch' | 'tag' | 'commit', version: string, repoName: string): AzdoError {
    const kind = type === 'commit' ? 'Commit' : type === 'tag' ? 'Tag' : 'Branch';
    const git = 'Microsoft.TeamFoundation.Git.Server';
    return new AzdoError(
      404,
      `TF401175:The version descriptor <${kind}: ${version} > could not be resolved to a version in the repository ${repoName}`,
      'GitUnresolvableToCommitException',
      `${git}.GitUnresolvableToCommitException, ${git}`,
    );
  },
  unauthorized(message: string, headers: Record<string, string | string[]> = {}): AzdoError {
    return new AzdoError(401, message, 'UnauthorizedRequestException', `${FRAMEWORK}.UnauthorizedRequestException, ${FRAMEWORK}`, headers);
  },
  /** No credential, or one the service does not recognise (auth.ts). */
  anonymous(headers: Record<string, string | string[]> = {}): AzdoError {
    return azdoErrors.unauthorized('TF400813: Resource not available for anonymous access. Client authentication required.', headers);
  },
  userNotAuthorized(userId: string, headers: Record<string, string | string[]> = {}): AzdoError {
    return azdoErrors.unauthorized(`TF400813: The user '${userId}' is not authorized to access this resource.`, headers);
  },
  forbidden(message: string): AzdoError {
    return new AzdoError(403, message, 'UnauthorizedRequestException', `${FRAMEWORK}.UnauthorizedRequestException, ${FRAMEWORK}`);
  },
  notFound(message: string): AzdoError {
    return new AzdoError(404, message, 'NotFoundException', `${WEBAPI}.VssResourceNotFoundException, ${WEBAPI}`);
  },
  badRequest(message: string, typeKey = 'ArgumentException'): AzdoError {
    return new AzdoError(400, message, typeKey, `System.${typeKey}, mscorlib`);
  },
  routeNotFound(path: string): AzdoError {
    return new AzdoError(
      404,
      `The controller for path '${path}' was not found or does not implement IController.`,
      'VssResourceNotFoundException',
      `${WEBAPI}.VssResourceNotFoundException, ${WEBAPI}`,
    );
  },
  methodNotAllowed(method: string, path: string): AzdoError {
    return new AzdoError(
      405,
      `The requested resource does not support http method '${method}'. Path: '${path}'.`,
      'VssHttpMethodNotAllowedException',
      `${WEBAPI}.VssHttpMethodNotAllowedException, ${WEBAPI}`,
    );
  },
  projectNotFound(nameOrId: string): AzdoError {
    return new AzdoError(
      404,
      `TF200016: The following project does not exist: ${nameOrId}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`,
      'ProjectDoesNotExistWithNameException',
      'Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, Microsoft.TeamFoundation.Core.WebApi',
    );
  },
  repositoryNotFound(nameOrId: string): AzdoError {
    return new AzdoError(
      404,
      `TF401019: The Git repository with name or identifier ${nameOrId} does not exist or you do not have permissions for the operation you are attempting.`,
      'GitRepositoryNotFoundException',
      'Microsoft.TeamFoundation.Git.Server.GitRepositoryNotFoundException, Microsoft.TeamFoundation.Git.Server',
    );
  },
  internal(message: string): AzdoError {
    return new AzdoError(500, message, 'Exception', 'System.Exception, mscorlib');
  },
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8; api-version=7.1',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Azure DevOps repeats an error's message, URL-encoded, in `X-TFS-ServiceError`. Public dumps show
 * it on 401s (REST and git), so the sandbox sends it there: cloud REST
 * (microsoft/azure-pipelines-agent#1559: `Access%20Denied%3A%20The%20Personal%20Access%20Token%20used%20has%20expired.`),
 * cloud git (curl/curl#13899: `TF400813%3A%20The%20user%20%27…%27%20is%20not%20authorized…`),
 * on-prem (microsoft/azure-pipelines-agent#5616, an Azure DevOps Server in 2026). Whether
 * 400/403/404/409 answers carry it is not known.
 */
export function withServiceError(err: AzdoError): Record<string, string | string[]> {
  return err.status === 401 ? { 'x-tfs-serviceerror': serviceErrorValue(err.message), ...err.headers } : err.headers;
}

/**
 * Written as .NET's Uri.EscapeDataString does (`%20`, upper-case hex, `'` as `%27`), as in the
 * threads above. TFS 2017 wrote the form style (`TF400813%3a+Resource+not+available…`,
 * microsoft/azure-repos-vscode#246); clients must read both.
 */
export function serviceErrorValue(message: string): string {
  return encodeURIComponent(message).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sendAzdoError(res: ServerResponse, err: AzdoError): void {
  sendJson(res, err.status, err.body(), withServiceError(err));
}
