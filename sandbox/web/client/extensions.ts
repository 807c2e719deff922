import { hostExtension, type HostedExtension, type HostPage } from '../../extension-host/xdm-host';

/**
 * The page's host side for the Azure DevOps extensions installed in its organization
 * (views/extension-menus.ts): started on the first menu item chosen, it keeps the contribution's
 * hidden iframe for later ones, as Azure DevOps does; one per project, since the handshake tells
 * the contribution the page's project and in-app navigation may change it (the configuration is
 * in the first HTML only). `window.extensionHostLog` lists what happened (handshakes, execute
 * calls, dialogs) in the latest one, for tests.
 */
const hosts = new Map<string, ReturnType<typeof hostExtension>>();

export function runExtensionAction(item: HTMLElement): void {
  const config = document.getElementById('sandbox-extension-host')?.textContent;
  const { sandboxContribution: id, sandboxContext: context, sandboxProject: project = '' } = item.dataset;
  if (!config || !id) return;
  let host = hosts.get(project);
  if (!host) {
    const { extension, page } = JSON.parse(config) as { extension: HostedExtension; page: HostPage };
    host = hostExtension(extension, { ...page, project }, new AbortController().signal);
    hosts.set(project, host);
  }
  (window as unknown as { extensionHostLog: string[] }).extensionHostLog = host.log;
  host.run(id, context ? JSON.parse(context) : {});
}
