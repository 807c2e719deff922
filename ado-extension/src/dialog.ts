import * as SDK from 'azure-devops-extension-sdk';
import type { ActionChoice } from './context';
import { INSTALL_GUIDE_URL, RELEASES_URL, vscodeCloneLink } from '../../src/shared/project-links';

/**
 * The dialog shown when no browser extension answered: the clone URLs to copy, "Clone in VS Code",
 * and where to get the browser extension and its companion. Built with DOM calls and textContent
 * only: the configuration comes from the menu's context, never markup.
 */

function el(tag: string, props: Record<string, string | boolean> = {}, ...children: (Node | string)[]): HTMLElement {
  const node: HTMLElement = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function copyRow(label: string, value: string): HTMLElement {
  const input = el('input', { readOnly: true, value, className: 'url' }) as HTMLInputElement;
  input.setAttribute('aria-label', label);
  const copy = el('button', { type: 'button', className: 'copy' }, 'Copy');
  copy.addEventListener('click', () => {
    void navigator.clipboard.writeText(value).then(
      () => (copy.textContent = 'Copied'),
      () => {
        // Clipboard refused (no permission in this frame): leave the text selected for Ctrl+C.
        input.select();
        copy.textContent = 'Press Ctrl+C';
      },
    );
  });
  return el('div', { className: 'row' }, el('label', {}, label), input, copy);
}

export function render(root: HTMLElement, config: { choice?: ActionChoice; error?: string }): void {
  const { choice, error } = config;
  if (error) root.append(el('p', { className: 'error' }, error));
  if (choice?.httpsUrl) root.append(copyRow('HTTPS', choice.httpsUrl));
  if (choice?.sshUrl) root.append(copyRow('SSH', choice.sshUrl));
  if (choice?.branch) root.append(el('p', {}, 'Branch: ', el('code', {}, choice.branch)));
  if (choice?.httpsUrl) root.append(el('p', {}, el('a', { href: vscodeCloneLink(choice.httpsUrl), className: 'vscode', target: '_top' }, 'Clone in VS Code')));
  root.append(
    el(
      'p',
      { className: 'get' },
      'To clone, check out and start work in one click, install the Azure DevOps Companion browser extension and its companion program (',
      el('code', {}, 'npx ado-companion install'),
      '), then choose this menu item again.',
    ),
    el(
      'p',
      { className: 'get links' },
      el('a', { href: RELEASES_URL, className: 'releases', target: '_blank', rel: 'noopener noreferrer' }, 'Download the browser extension and the companion'),
      ' · ',
      el('a', { href: INSTALL_GUIDE_URL, className: 'guide', target: '_blank', rel: 'noopener noreferrer' }, 'How to install them'),
    ),
  );
}

export function start(): void {
  void SDK.init().then(() => render(document.getElementById('root')!, SDK.getConfiguration() as { choice?: ActionChoice; error?: string }));
}

start();
