import { runExtensionAction } from './extensions';
import { overflowed } from './responsive-layout';
import { currentGeneration, fetchPart, pageUrlOf } from './state';

/**
 * Callouts (the Clone panel, branch menus) render into `.bolt-portal-host` at the end of the body,
 * fetched when opened; a click outside or Escape closes them.
 */
export function startCallouts(): void {
  document.addEventListener('click', onClick);
  document.addEventListener('contextmenu', onContextMenu);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') closeCallouts();
  });
}

function portal(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[data-sandbox-portal]');
}

export function closeCallouts(): void {
  portal()?.replaceChildren();
  for (const opener of document.querySelectorAll('[data-sandbox-action][aria-expanded="true"]')) opener.setAttribute('aria-expanded', 'false');
}

function onClick(e: MouseEvent): void {
  const target = e.target instanceof Element ? e.target : null;
  const action = target?.closest<HTMLElement>('[data-sandbox-action]');
  if (!action) {
    if (target && !target.closest('[data-sandbox-callout]')) closeCallouts();
    return;
  }
  switch (action.dataset.sandboxAction) {
    case 'clone':
      void openCallout(action, 'clone-panel');
      break;
    case 'more':
      openMore(action);
      break;
    case 'menu-item':
      chooseFromMore(action);
      break;
    case 'branch-menu':
      void openCallout(action, 'branch-menu', { which: action.dataset.sandboxWhich ?? 'version' });
      break;
    case 'extension-action':
      // As the WAI-ARIA menu button pattern asks (MARKUP.md, Extension menus), the focus goes back to the menu's button.
      document.querySelector<HTMLElement>('[data-sandbox-action][aria-expanded="true"]')?.focus();
      closeCallouts();
      runExtensionAction(action);
      break;
    case 'close-callout':
      closeCallouts();
      break;
    case 'clone-protocol':
      chooseProtocol(action);
      break;
    case 'copy-clone-url':
      copyCloneUrl(action);
      break;
    case 'generate-credentials':
      note(action, 'The sandbox does not issue Git credentials here: use a PAT from the sandbox seed.');
      break;
    default:
      return;
  }
}

async function openCallout(opener: HTMLElement, part: string, extra: Record<string, string> = {}): Promise<void> {
  const wasOpen = opener.getAttribute('aria-expanded') === 'true';
  closeCallouts();
  if (wasOpen) return;
  const generation = currentGeneration();
  const html = await fetchPart(part, pageUrlOf(location.href), extra).catch(() => undefined);
  if (html === undefined || generation !== currentGeneration()) return;
  present(opener, html);
}

/** Shows a callout's HTML below its opener. */
function present(opener: HTMLElement, html: string): void {
  const host = portal();
  if (!host || !opener.isConnected) return;
  host.innerHTML = html;
  const callout = host.firstElementChild as HTMLElement | null;
  if (!callout) return;
  opener.setAttribute('aria-expanded', 'true');
  const r = opener.getBoundingClientRect();
  callout.style.top = `${Math.round(r.bottom + 4)}px`;
  callout.style.left = `${Math.max(8, Math.round(Math.min(r.left, window.innerWidth - callout.offsetWidth - 8)))}px`;
  callout.querySelector<HTMLElement>('input, a, button')?.focus();
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The ⋮ menu: the commands that did not fit, in their order, then the menu's own entries. */
function openMore(button: HTMLElement): void {
  const wasOpen = button.getAttribute('aria-expanded') === 'true';
  closeCallouts();
  if (wasOpen) return;
  const commands = overflowed(button).map((item, i) => {
    const label = item.querySelector('.bolt-button-text')?.textContent ?? item.textContent ?? '';
    return `<button class="bolt-list-row bolt-button subtle" role="menuitem" type="button" data-sandbox-action="menu-item" data-sandbox-index="${i}">${escape(label.trim())}</button>`;
  });
  const own = (button.dataset.sandboxEntries ?? '').split('|').filter(Boolean).map((e) => `<button class="bolt-list-row bolt-button subtle" role="menuitem" type="button">${escape(e)}</button>`);
  const label = button.getAttribute('aria-label') ?? 'More actions';
  present(button, menu(label, [...commands, ...own, contributed(button.parentElement)].join('')));
}

function menu(label: string, items: string): string {
  return `<div class="bolt-callout bolt-callout-auto-position" role="menu" aria-label="${escape(label)}" data-sandbox-callout="more"><div class="bolt-callout-content bolt-callout-shadow bolt-menu flex-column">${items}</div></div>`;
}

/** The installed extensions' items for a menu: the server put them, inert, beside its button (views/extension-menus.ts). */
function contributed(owner: Element | null): string {
  const template = owner?.querySelector<HTMLTemplateElement>(':scope > template[data-sandbox-extension-items]');
  return template?.innerHTML ?? '';
}

/** A work item card's context menu (right click): the extensions' items for it, at the pointer. */
function onContextMenu(e: MouseEvent): void {
  const card = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-sandbox-context-menu]') : null;
  if (!card) return;
  e.preventDefault();
  closeCallouts();
  const host = portal();
  if (!host) return;
  host.innerHTML = menu(`Actions for ${card.dataset.sandboxCard ?? 'this item'}`, contributed(card) || '<div class="bolt-list-row secondary-text">No actions</div>');
  const callout = host.firstElementChild as HTMLElement;
  callout.style.top = `${Math.round(e.clientY)}px`;
  callout.style.left = `${Math.round(Math.min(e.clientX, window.innerWidth - callout.offsetWidth - 8))}px`;
  callout.querySelector<HTMLElement>('button')?.focus();
}

/** A command chosen from ⋮ does what its button does, opening below ⋮. */
function chooseFromMore(entry: HTMLElement): void {
  const more = document.querySelector<HTMLElement>('[data-sandbox-action="more"][aria-expanded="true"]');
  const item = more && overflowed(more)[Number(entry.dataset.sandboxIndex)];
  closeCallouts();
  const action = item?.matches('[data-sandbox-action]') ? item.dataset.sandboxAction : item?.querySelector<HTMLElement>('[data-sandbox-action]')?.dataset.sandboxAction;
  if (more && action === 'clone') void openCallout(more, 'clone-panel');
}

function container(el: Element): Element {
  return el.closest('[data-sandbox-callout], .bolt-card') ?? document.body;
}

function chooseProtocol(button: HTMLElement): void {
  const box = container(button);
  const input = box.querySelector<HTMLInputElement>('[data-sandbox-clone-url]');
  const protocol = button.dataset.sandboxProtocol === 'ssh' ? 'ssh' : 'https';
  if (!input) return;
  input.value = (protocol === 'ssh' ? input.dataset.sandboxSsh : input.dataset.sandboxHttps) ?? '';
  for (const b of box.querySelectorAll('[data-sandbox-action="clone-protocol"]')) b.setAttribute('aria-pressed', String(b === button));
}

function copyCloneUrl(button: HTMLElement): void {
  const input = container(button).querySelector<HTMLInputElement>('[data-sandbox-clone-url]');
  if (!input) return;
  input.select();
  void navigator.clipboard?.writeText(input.value).catch(() => undefined);
}

function note(anchor: Element, text: string): void {
  const box = container(anchor);
  let el = box.querySelector<HTMLElement>('[data-sandbox-note]');
  if (!el) {
    el = document.createElement('div');
    el.dataset.sandboxNote = '';
    el.className = 'secondary-text';
    box.append(el);
  }
  el.textContent = text;
}
