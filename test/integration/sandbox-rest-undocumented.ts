import type { Json } from './sandbox-rest-spec-validator';

/**
 * Sandbox API routes that no operation in Microsoft's specs describes, each with the reason and
 * the shape the sandbox answers (in the specs' own Swagger dialect, checked the same way).
 * Keys are `METHOD surface pattern`, exactly as the router lists them.
 */

const str = { type: 'string' };
const guid = { type: 'string', format: 'uuid' };
const bool = { type: 'boolean' };
const int = { type: 'integer' };
const date = { type: 'string', format: 'date-time' };
const list = (item: Json) => ({ type: 'object', properties: { count: int, value: { type: 'array', items: item } }, required: ['count', 'value'] });

const connectionIdentity = {
  type: 'object',
  properties: {
    id: guid,
    descriptor: str,
    subjectDescriptor: str,
    providerDisplayName: str,
    isActive: bool,
    properties: { type: 'object', additionalProperties: { type: 'object', properties: { $type: str, $value: {} } } },
    resourceVersion: int,
    metaTypeId: int,
  },
  required: ['id', 'descriptor', 'providerDisplayName'],
};

const template = { type: 'object', properties: { name: str, type: str }, required: ['name', 'type'] };

const pickerEntity = {
  type: 'object',
  properties: {
    entityId: str,
    entityType: { type: 'string', enum: ['User', 'Group'] },
    originDirectory: { type: 'string', enum: ['aad', 'vsd', 'msa', 'ad'] },
    originId: str,
    localDirectory: str,
    localId: guid,
    displayName: str,
    scopeName: str,
    mail: str,
    signInAddress: str,
    samAccountName: str,
    active: bool,
    subjectDescriptor: str,
    department: str,
    jobTitle: str,
    description: str,
    image: str,
  },
  required: ['entityId', 'entityType', 'originDirectory', 'originId', 'displayName', 'active', 'image'],
};

const sessionToken = {
  type: 'object',
  properties: {
    clientId: guid,
    accessId: guid,
    authorizationId: guid,
    hostAuthorizationId: guid,
    userId: guid,
    validFrom: date,
    validTo: date,
    displayName: str,
    scope: str,
    targetAccounts: { type: 'array', items: guid },
    token: str,
    alternateToken: str,
    isValid: bool,
    isPublic: bool,
    publicData: str,
    source: str,
    claims: { type: 'object', additionalProperties: str },
  },
  required: ['authorizationId', 'userId', 'validFrom', 'validTo', 'displayName', 'scope', 'isValid', 'isPublic'],
};

export interface Undocumented {
  reason: string;
  schema: Json;
}

export const UNDOCUMENTED: Record<string, Undocumented> = {
  'GET collection /_apis/connectionData': {
    reason: 'the location service’s connectionData is not in the published specs; clients (and the facts) rely on authenticatedUser and instanceId',
    schema: {
      type: 'object',
      properties: {
        authenticatedUser: connectionIdentity,
        authorizedUser: connectionIdentity,
        instanceId: guid,
        deploymentId: guid,
        deploymentType: { type: 'string', enum: ['hosted', 'onPremises'] },
        locationServiceData: { type: 'object', additionalProperties: {} },
      },
      required: ['authenticatedUser', 'authorizedUser', 'instanceId', 'deploymentId', 'deploymentType'],
    },
  },
  'GET collection /{project}/_apis/git/templates': {
    reason: 'the .gitignore template list the web UI reads (facts: undocumented, needs OAuth or a full-scope PAT)',
    schema: list(template),
  },
  'GET collection /_apis/git/templates': {
    reason: 'the same template list without a project segment',
    schema: list(template),
  },
  'POST collection /_apis/IdentityPicker/Identities': {
    reason: 'the web UI’s people picker (facts: undocumented, 7.1-preview.1)',
    schema: {
      type: 'object',
      properties: {
        results: {
          type: 'array',
          items: {
            type: 'object',
            properties: { queryToken: str, identities: { type: 'array', items: pickerEntity }, pagingToken: str },
            required: ['queryToken', 'identities'],
          },
        },
      },
      required: ['results'],
    },
  },
  'POST collection /_apis/Contribution/HierarchyQuery': {
    reason: 'the web UI’s data-provider query, used to add public SSH keys (facts: undocumented)',
    schema: {
      type: 'object',
      properties: {
        dataProviderSharedData: { type: 'object', additionalProperties: {} },
        dataProviders: {
          type: 'object',
          properties: {
            'ms.vss-web.component-data': { type: 'object', additionalProperties: {} },
            'ms.vss-web.shared-data': { type: 'object', additionalProperties: {} },
            'ms.vss-token-web.personal-access-token-issue-session-token-provider': sessionToken,
          },
        },
        dataProviderExceptions: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { exceptionType: str, message: str, stackTrace: str }, required: ['message'] },
        },
      },
      required: ['dataProviderSharedData', 'dataProviders'],
    },
  },
  'GET vssps /_apis/Token/SessionTokens': {
    reason: 'the token service’s session tokens (public SSH keys with isPublic=true; facts: undocumented, 7.0-preview.1)',
    schema: list(sessionToken),
  },
  'GET collection /_apis/Token/SessionTokens': {
    reason: 'the same session-token list below an on-prem collection (Azure DevOps Server has no vssps host)',
    schema: list(sessionToken),
  },
};
