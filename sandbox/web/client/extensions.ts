import { hostExtension, type HostedExtension, type HostPage } from '../../extension-host/xdm-host';

/**
 * The page's host side for the Azure DevOps extensions installed in its organization
 * (views/extension-menus.ts): started on the first menu item chosen, it keeps the contribution's
 * hidden iframe for later ones, as Azure DevOps does. `window.extensionHostLog` lists what
 * happened (handshakes, execute calls, dialogs), for tests.
 */
let host: ReturnType<typeof hostExtension> | undefined;

export function runExtensionAction(item: HTMLElement): void {
  const config = document.getElementById('sandbox-extension-host')?.textContent;
  const { sandboxContribution: id, sandboxContext: context } = item.dataset;
  if (!config || !id) return;
  if (!host) {
    const { extension, page } = JSON.parse(config) as { extension: HostedExtension; page: HostPage };
    host = hostExtension(extension, page, new AbortController().signal);
    (window as unknown as { extensionHostLog: string[] }).extensionHostLog = host.log;
  }
  host.run(id, context ? JSON.parse(context) : {});
}
