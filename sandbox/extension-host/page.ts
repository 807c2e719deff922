import { hostExtension, type HostedExtension, type HostPage } from './xdm-host';

/** The sandbox page's script: draws each configured menu with the extension's items for its target. */
interface PageConfig {
  extension: HostedExtension;
  page: HostPage;
  menus: { target: string; label: string; context: unknown }[];
}

export function start(): void {
  const config = (window as unknown as { extensionHostConfig: PageConfig }).extensionHostConfig;
  const host = hostExtension(config.extension, config.page, new AbortController().signal);
  (window as unknown as { extensionHostLog: string[] }).extensionHostLog = host.log;
  // One column of menus in a corner, above the page: none covers another.
  const column = document.createElement('div');
  column.style.cssText = 'position:fixed;left:8px;top:8px;z-index:2147483600;display:flex;flex-direction:column;gap:4px';
  document.body.append(column);
  for (const menu of config.menus) {
    const box = document.createElement('div');
    box.setAttribute('role', 'menu');
    box.setAttribute('aria-label', menu.label);
    box.dataset.target = menu.target;
    box.append(...host.menuItems(menu.target, () => menu.context));
    box.style.cssText = 'background:#fff;padding:4px';
    column.append(box);
  }
}

start();
