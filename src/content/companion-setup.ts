import { companionOs, installInstructions, type InstallInstructions } from '../shared/companion-install';
import { COMPANION_POLL_MS } from '../shared/companion-poll';
import { GIT_DOWNLOAD_URL } from '../shared/git-help';
import { RELEASES_URL } from '../shared/project-links';
import type { CompanionStatus } from '../shared/messages';
import { platformInfo } from './platform';
import { companionStatus } from './session';
import { h } from './ui/dom';
import { companionNeed } from '../shared/next-step';
import { actions, copyBlock, optionsButton } from './ui/parts';

/**
 * What a panel shows when the companion is missing, outdated or did not start: how to install it
 * on this computer (the steps Options and README give), and a watch that notices once it runs.
 */

export interface CompanionSetup {
  status: CompanionStatus;
  install: InstallInstructions;
}

export async function companionSetup(status: CompanionStatus): Promise<CompanionSetup> {
  const { os, arch } = await platformInfo();
  return { status, install: installInstructions(companionOs(os), arch, globalThis.chrome?.runtime?.id) };
}

/**
 * The one block every panel shows while the companion is not there (or outdated, or did not
 * start): a title by its state, what the feature does with it or without it (`uses`), the install
 * steps for this computer when given (`install`: the panel then notices the companion by itself),
 * and the Options button that sets it up or updates it. `sub`: inside a panel that works without
 * it.
 */
export function companionNeeded(status: CompanionStatus, uses: string, signal: AbortSignal, opts: { install?: InstallInstructions; sub?: boolean } = {}): (Node | false)[] {
  const { title, fix } = companionNeed(status.state);
  // A hung one is installed; the panel's watch asks again, which starts a new one. So is one whose git is too old: git is what to install.
  const oldGit = status.state === 'gitTooOld';
  const install = status.state === 'hung' || oldGit ? undefined : opts.install;
  return [
    h(opts.sub ? 'h3' : 'h2', { class: opts.sub ? 'adoc-sub' : 'adoc-title' }, title),
    h('p', opts.sub ? { class: 'adoc-muted' } : null, uses),
    status.state !== 'missing' && !!status.message && h('p', { class: 'adoc-muted' }, status.message),
    ...(install
      ? [
          h(
            'p',
            null,
            'It is a small program on this computer that runs git for the extension.',
            install.download
              ? [' Download ', h('span', { class: 'adoc-mono' }, install.download), ' from its ', h('a', { href: RELEASES_URL, target: '_blank', rel: 'noopener noreferrer' }, 'release page'), ' into your Downloads folder, then run this in a terminal:']
              : ' Run this in a terminal:',
          ),
          copyBlock('Install command', install.commands.join('\n'), signal),
          h('p', { class: 'adoc-muted' }, install.explanation),
          h('p', { class: 'adoc-muted', role: 'status' }, 'This panel notices the companion by itself once it runs.'),
        ]
      : []),
    oldGit && h('p', null, h('a', { href: GIT_DOWNLOAD_URL, target: '_blank', rel: 'noopener noreferrer' }, 'Download git'), ' for this computer and install it.'),
    // Given the install steps, the panel watches for the companion.
    status.state === 'hung' && !!opts.install && h('p', { class: 'adoc-muted', role: 'status' }, 'This panel asks it again by itself.'),
    oldGit && !!opts.install && h('p', { class: 'adoc-muted', role: 'status' }, 'This panel notices the newer git by itself once it is installed.'),
    // Inside a panel that works without it, the panel's own action stays the one primary button.
    actions(optionsButton(...fix, signal, { primary: !opts.sub })),
  ];
}

/**
 * While `waiting()` (the panel is open on the install steps), asks every few seconds whether the
 * companion runs, and calls `ready` once it does. Call the function it returns whenever
 * `waiting()` may have changed.
 */
export function watchForCompanion(waiting: () => boolean, ready: () => void, signal: AbortSignal): () => void {
  let timer: ReturnType<typeof setInterval> | undefined;
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  return () => {
    if (!waiting() || signal.aborted) {
      clearInterval(timer);
      timer = undefined;
    } else if (!timer) {
      timer = setInterval(() => {
        companionStatus.forget();
        void companionStatus.get().then((s) => {
          if (s.state === 'ready' && waiting()) ready();
        }, () => undefined);
      }, COMPANION_POLL_MS);
    }
  };
}
