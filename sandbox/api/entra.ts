import { authorizeEndpoint } from '../entra/authorize';
import { corsHeaders, tokenEndpoint } from '../entra/token';
import { LOGIN_HOST } from '../hosts';
import type { Router } from '../router';

/** login.microsoftonline.com: the Entra ID stand-in (see sandbox/entra/). */
export function registerEntra(router: Router): void {
  router.get('login', '/{tenant}/oauth2/v2.0/authorize', authorizeEndpoint);
  router.post('login', '/{tenant}/oauth2/v2.0/authorize', authorizeEndpoint);
  router.post('login', '/{tenant}/oauth2/v2.0/token', tokenEndpoint);
  router.add('OPTIONS', 'login', '/{tenant}/oauth2/v2.0/token', (ctx) =>
    ctx.send(204, '', { ...corsHeaders(ctx), 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '86400' }),
  );
  router.get('login', '/{tenant}/v2.0/.well-known/openid-configuration', (ctx) => {
    const base = `https://${LOGIN_HOST}/${ctx.params.tenant}`;
    ctx.reply({
      issuer: `https://${LOGIN_HOST}/{tenantid}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    });
  });
}
