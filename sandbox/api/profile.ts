import { VSSPS_HOST } from '../hosts';
import { azdoErrors } from '../errors';
import type { Router } from '../router';

/**
 * app.vssps.visualstudio.com: `profile/profiles/me` and `accounts?memberId=`. Both need OAuth
 * or an "All accessible organizations" PAT: an organization-scoped PAT gets 401.
 */
export function registerProfile(router: Router): void {
  router.get(
    'profile',
    '/_apis/profile/profiles/{id}',
    (ctx) => {
      const user = ctx.user();
      if (ctx.params.id!.toLowerCase() !== 'me' && ctx.params.id!.toLowerCase() !== user.id) {
        throw azdoErrors.forbidden(`TF400813: The user '${user.id}' is not authorized to access this resource.`);
      }
      ctx.reply({
        displayName: user.displayName,
        publicAlias: user.id,
        emailAddress: user.mail,
        coreRevision: 1647,
        timeStamp: '2026-08-01T09:00:00.000+00:00',
        id: user.id,
        revision: 1647,
      });
    },
    { scope: 'vso.profile' },
  );

  router.get(
    'profile',
    '/_apis/accounts',
    (ctx) => {
      const user = ctx.user();
      const memberId = ctx.query.get('memberId') ?? ctx.query.get('ownerId');
      if (!memberId) throw azdoErrors.badRequest('Either memberId or ownerId must be specified.\r\nParameter name: memberId');
      const self = memberId.toLowerCase() === user.id || memberId.toLowerCase() === 'me';
      const orgs = self ? ctx.store.organizationsOf(user.id).filter((o) => o.hosting === 'cloud') : [];
      ctx.replyList(
        orgs.map((o) => ({ accountId: o.id, accountUri: `https://${VSSPS_HOST}/${o.name}/`, accountName: o.name, properties: {} })),
      );
    },
    { scope: 'vso.profile' },
  );
}
