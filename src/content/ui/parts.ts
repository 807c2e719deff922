import { ask } from '../ask';
import type { OptionsSection } from '../../shared/messages';
import { helpLabel, type NextStep } from '../../shared/next-step';
import { avatarColor, initials } from '../../shared/ui/avatar';
import { copyText } from '../../shared/ui/clipboard';
import { GCM_INSTALL_URL } from '../../shared/git-help';
import { problemOf, type Problem } from '../session';
import { pathParts } from '../../shared/ui/path-parts';
import { h, onActivate } from './dom';

/** The small building blocks the features' panels share. */

export function button(label: string, action: () => void, signal: AbortSignal, opts: { primary?: boolean; small?: boolean; ariaLabel?: string; disabled?: boolean } = {}): HTMLButtonElement {
  const cls = `adoc-button${opts.primary ? ' primary' : ''}${opts.small ? ' small' : ''}`;
  const b = h('button', { class: cls, type: 'button', 'aria-label': opts.ariaLabel, disabled: opts.disabled }, label);
  onActivate(b, action, signal);
  return b;
}

/**
 * Cancel for a running task: it says so at once and cannot be pressed twice. A cancel that did not
 * land (`cancel` answers false, or fails) gives the button back, saying why.
 */
export function cancelButton(cancel: () => Promise<unknown>, signal: AbortSignal): HTMLButtonElement {
  const again = (why: string) => {
    b.disabled = false;
    b.textContent = 'Cancel';
    b.title = why;
    b.setAttribute('aria-description', why);
  };
  const b = button('Cancel', () => {
    // A disabled button drops the focus to the page: the panel (or card) around it holds it meanwhile.
    b.closest<HTMLElement>('[tabindex="-1"]')?.focus();
    b.disabled = true;
    b.textContent = 'Cancelling…';
    void cancel().then(
      (landed) => landed === false && again('The last Cancel did not land: the task was finishing, or did not answer.'),
      (e: unknown) => again(`The last Cancel failed: ${problemOf(e).message}`),
    );
  }, signal);
  return b;
}

/** A read-only value with a Copy button (clone URLs, the install command). */
export function copyField(label: string, value: string, signal: AbortSignal): HTMLElement {
  const field = h('input', { class: 'adoc-input adoc-mono adoc-grow', readonly: true, value, 'aria-label': label });
  const status = h('span', { class: 'adoc-sr', role: 'status' });
  const copy = button('Copy', () => {
    void copyText(value).then((ok) => {
      copy.textContent = ok ? 'Copied' : 'Select and copy';
      status.textContent = ok ? `${label} copied` : 'The browser refused to copy: select the text and copy it.';
      if (!ok) field.select();
    });
  }, signal, { small: true, ariaLabel: `Copy ${label}` });
  return h('div', { class: 'adoc-row' }, field, copy, status);
}

/** A path in code type that wraps after its separators, with the whole path as a tooltip. */
export function pathText(path: string): HTMLElement {
  return h('span', { class: 'adoc-mono', title: path }, pathParts(path).flatMap((part) => [part, h('wbr')]));
}

/** A command of several lines, kept as written, with a Copy button. */
export function copyBlock(label: string, text: string, signal: AbortSignal): HTMLElement {
  const block = h('pre', { class: 'adoc-mono adoc-command', 'aria-label': label, tabindex: 0 }, text);
  const status = h('span', { class: 'adoc-sr', role: 'status' });
  const copy = button('Copy', () => {
    void copyText(text).then((ok) => {
      copy.textContent = ok ? 'Copied' : 'Select and copy';
      status.textContent = ok ? `${label} copied` : 'The browser refused to copy: select the text and copy it.';
    });
  }, signal, { small: true, ariaLabel: `Copy ${label}` });
  return h('div', { class: 'adoc-col' }, block, h('div', { class: 'adoc-row' }, copy, status));
}

/** Label–value pairs. */
export function facts(rows: [string, Node | string][]): HTMLElement {
  return h('dl', { class: 'adoc-facts' }, rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

export function alertBox(text: string, ...more: (Node | false)[]): HTMLElement {
  return h('div', { class: 'adoc-alert', role: 'alert' }, h('p', null, text), more);
}

/**
 * A failure, said for a person, with the Options button that fixes it where trying again cannot
 * (a refused token, no account). When git had no way to sign in (no profile, so no token, and no
 * credential helper configured), it also says how to give it one. `lead` says what failed, before why.
 */
export function problemBox(e: unknown, signal: AbortSignal, lead = ''): HTMLElement {
  const problem = problemOf(e);
  return alertBox(
    lead + problem.message,
    helpLink(problem.helpUrl),
    (e as { code?: unknown } | null)?.code === 'companion.NO_CREDENTIAL_HELPER' &&
      h('p', null, 'Install ', h('a', { href: GCM_INSTALL_URL, target: '_blank', rel: 'noopener noreferrer' }, 'Git Credential Manager'), ' (it signs you in through your browser) and try again, or add a personal access token for this organization.'),
    // Beside the caller's own action (Add upstream again, Create branch), which stays the primary one.
    !!problem.next && actions(optionsButton(...problem.next, signal)),
  );
}

/** The link to the help page a failure names (the background adds it: a refused token's page, say). */
export function helpLink(url: string | undefined): HTMLElement | false {
  return !!url && url.startsWith('https://') && h('p', null, h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, helpLabel(url)));
}

/** A panel's failure: what went wrong, its help page, the Options button that fixes it, and Try again. */
export function problemView(problem: Problem, retry: () => void, signal: AbortSignal, close?: () => void): HTMLElement[] {
  return [alertBox(problem.message, helpLink(problem.helpUrl)), retryActions(problem.next, retry, signal, close)];
}

/**
 * After a failure: the Options button that fixes it where trying again cannot (`next`), then Try
 * again, then the panel's Close (a failure is a panel's end as much as a success is).
 */
export function retryActions(next: NextStep | undefined, retry: () => void, signal: AbortSignal, close?: () => void): HTMLElement {
  return actions(next && optionsButton(...next, signal, { primary: true }), button('Try again', retry, signal), !!close && button('Close', close, signal));
}

/** A button that opens the extension's Options at a section. */
export function optionsButton(label: string, section: OptionsSection, signal: AbortSignal, opts: { primary?: boolean; small?: boolean } = {}): HTMLButtonElement {
  return button(label, () => void ask({ type: 'options.open', section }).catch(() => undefined), signal, opts);
}

/** A determinate progress bar with a spoken label; `set` moves it. */
export function progressBar(label: string): { el: HTMLElement; set(percent: number, text: string): void } {
  const fillEl = h('div', { style: 'width:0%' });
  const bar = h('div', { class: 'adoc-progress', role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0 }, fillEl);
  const text = h('div', { class: 'adoc-muted', 'aria-live': 'polite' }, 'Starting git…');
  return {
    el: h('div', { class: 'adoc-grow' }, bar, text),
    set(percent, words) {
      const p = Math.max(0, Math.min(100, Math.round(percent)));
      fillEl.style.width = `${p}%`;
      bar.setAttribute('aria-valuenow', String(p));
      text.textContent = words;
    },
  };
}

/** Initials on a colour of their own, like Azure DevOps' avatars (drawn here, nothing is fetched). */
export function coin(name: string): HTMLElement {
  // Groups read `[fabrikam]\Release Approvers`: the scope is not part of the name.
  const bare = name.replace(/^\[[^\]]*\]\\/, '');
  return h('span', { class: 'adoc-coin', style: `background:${avatarColor(bare)}`, 'aria-hidden': 'true' }, initials(bare));
}

export const actions = (...buttons: (HTMLElement | false | undefined)[]) => h('div', { class: 'adoc-row adoc-wrap' }, buttons);
