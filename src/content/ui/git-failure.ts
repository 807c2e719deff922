import { ANOTHER_CLONE_FOLDER, explainCloneFailure, failureActions } from '../../shared/clone-failure';
import { GCM_INSTALL_URL } from '../../shared/git-help';
import type { ReplyError } from '../../shared/messages';
import { h } from './dom';
import { actions, alertBox, button, helpLink, optionsButton } from './parts';

/**
 * git failed for a panel (a clone, a checkout): the cause, the next step with the button that
 * takes it, and git's own line under "Details". `profile`: the page's organization has one (so a
 * refused sign-in is its token's, not git's credential helper's). `retryLabel`: what trying again
 * does, where "Try again" would say less (Clone it).
 */
export function gitFailure(error: ReplyError, opts: { profile: boolean; task: 'clone' | 'checkout'; retry: () => void; retryLabel?: string; close?: () => void }, signal: AbortSignal): HTMLElement {
  const { profile } = opts;
  const help = explainCloneFailure(error, { profile, task: opts.task });
  const retry = button(opts.retryLabel ?? 'Try again', opts.retry, signal, { primary: help.action === 'retry' || help.action === 'none' });
  const next = failureActions(error, help, { profile });
  return alertBox(
    help.cause,
    h('p', null, help.next),
    helpLink(error.helpUrl),
    error.code === 'companion.NO_CREDENTIAL_HELPER' && h('p', null, h('a', { href: GCM_INSTALL_URL, target: '_blank', rel: 'noopener noreferrer' }, 'How to install Git Credential Manager')),
    !!help.details && h('details', null, h('summary', null, 'Details'), h('div', { class: 'adoc-mono' }, help.details)),
    actions(next.fix ? optionsButton(...next.fix, signal, { primary: true }) : false, next.retry && retry, !!opts.close && button('Close', opts.close, signal)),
  );
}

/**
 * Said in place of the action when a clone would stop before it starts (`ClonePlan.inTheWay`):
 * what is in the way, and the ways past it. The clone checks again when it runs.
 */
export function folderInTheWay(inTheWay: string, act: { reload: () => void; close: () => void }, signal: AbortSignal): HTMLElement {
  return alertBox(
    `A clone would stop: ${inTheWay.replace(/\.?$/, '.')}`,
    h('p', null, 'Move or rename what is there, then check again, or choose another clone folder in Options.'),
    actions(button('Check again', act.reload, signal, { primary: true }), optionsButton(...ANOTHER_CLONE_FOLDER, signal), button('Close', act.close, signal)),
  );
}
