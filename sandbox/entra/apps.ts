import { stableGuid } from '../ids';

/** App registrations the Entra stand-in knows. */
export interface EntraApp {
  clientId: string;
  displayName: string;
  /** Exact redirect URIs, or patterns (the extension's id differs per build). */
  redirectUris: (string | RegExp)[];
  /** Which accounts may sign in; Azure DevOps apps are work/school only. */
  audience: 'AzureADMultipleOrgs';
}

/** The registration the product uses against the sandbox (its client id is configuration). */
export const DEFAULT_APP: EntraApp = {
  clientId: stableGuid('entra-app', 'azure-devops-companion'),
  displayName: 'Azure DevOps Companion (sandbox)',
  redirectUris: [
    /^https:\/\/[a-p]{32}\.chromiumapp\.org\/.*$/,
    /^https:\/\/[0-9a-f]{40}\.extensions\.allizom\.org\/.*$/,
    /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/.*$/,
  ],
  audience: 'AzureADMultipleOrgs',
};

export class EntraApps {
  private readonly apps = new Map<string, EntraApp>([[DEFAULT_APP.clientId, DEFAULT_APP]]);

  register(app: EntraApp): void {
    this.apps.set(app.clientId.toLowerCase(), app);
  }

  get(clientId: string): EntraApp | undefined {
    return this.apps.get(clientId.toLowerCase());
  }

  allowsRedirect(app: EntraApp, uri: string): boolean {
    return app.redirectUris.some((r) => (typeof r === 'string' ? r === uri : r.test(uri)));
  }
}
