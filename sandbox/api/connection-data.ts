import { accountNames } from '../account-names';
import type { RequestContext } from '../context';
import type { Router } from '../router';
import type { User } from '../store';

/**
 * `GET {collection}/_apis/connectionData`: who is calling and which organization / collection
 * this is. Works with organization-scoped PATs, in the cloud and on-prem, so the product
 * identifies PAT users with it. Clients call it without api-version.
 */
export function registerConnectionData(router: Router): void {
  router.get('collection', '/_apis/connectionData', (ctx) => connectionData(ctx), { apiVersion: 'optional' });
}

function connectionData(ctx: RequestContext): void {
  const org = ctx.organization();
  const identity = identityOf(ctx, ctx.user());
  ctx.reply({
    authenticatedUser: identity,
    authorizedUser: identity,
    instanceId: org.id,
    deploymentId: org.deploymentId,
    deploymentType: org.hosting === 'cloud' ? 'hosted' : 'onPremises',
    locationServiceData: {
      serviceOwner: org.hosting === 'cloud' ? '00025394-6065-48ca-87d9-7f5672854ef7' : '00000000-0000-0000-0000-000000000000',
      defaultAccessMappingMoniker: 'PublicAccessMapping',
      lastChangeId: 26_473_211,
      lastChangeId64: 26_473_211,
    },
  });
}

function identityOf(ctx: RequestContext, user: User): Record<string, unknown> {
  const org = ctx.organization();
  const names = accountNames(org, user);
  const tenant = org.tenantId ?? '00000000-0000-0000-0000-000000000000';
  return {
    id: user.id,
    descriptor: org.hosting === 'onprem' ? names.descriptor : `Microsoft.IdentityModel.Claims.ClaimsIdentity;${tenant}\\${user.mail}`,
    subjectDescriptor: names.subjectDescriptor,
    providerDisplayName: user.displayName,
    isActive: true,
    properties: { Account: { $type: 'System.String', $value: names.account } },
    resourceVersion: 2,
    metaTypeId: 0,
  };
}
