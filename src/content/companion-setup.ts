import { companionOs, installInstructions, type InstallInstructions } from '../shared/companion-install';
import { COMPANION_POLL_MS } from '../shared/companion-poll';
import type { CompanionStatus } from '../shared/messages';
import { platformInfo } from './platform';
import { companionStatus } from './session';
import { h } from './ui/dom';
import { copyBlock } from './ui/parts';

/**
 * What a panel shows when the companion is missing or outdated: how to install it on this
 * computer (the steps Options and README give), and a watch that notices once it runs.
 */

export interface CompanionSetup {
  status: CompanionStatus;
  install: InstallInstructions;
}

export async function companionSetup(status: CompanionStatus): Promise<CompanionSetup> {
  const { os, arch } = await platformInfo();
  return { status, install: installInstructions(companionOs(os), arch) };
}

/** "Clone to desktop needs the companion", or that it needs updating. */
export const setupTitle = ({ status }: CompanionSetup, feature: string) => h('h2', { class: 'adoc-title' }, status.state === 'outdated' ? 'Please update the companion' : `${feature} needs the companion`);

/** The steps for this computer, and why the companion did not answer when that is not just its absence. */
export function installSteps({ status, install }: CompanionSetup, signal: AbortSignal): (Node | false)[] {
  return [
    h('p', null, 'A small program on this computer runs git for the extension.', install.download ? ' Download ' : ' Run this in a terminal:', install.download ? h('span', { class: 'adoc-mono' }, install.download) : false, install.download ? ' from its release page into your Downloads folder, then run this in a terminal:' : false),
    copyBlock('Install command', install.commands.join('\n'), signal),
    h('p', { class: 'adoc-muted' }, install.explanation),
    status.state !== 'missing' && status.message ? h('p', { class: 'adoc-muted' }, status.message) : false,
    h('p', { class: 'adoc-muted', role: 'status' }, 'This panel notices the companion by itself once it is installed.'),
  ];
}

/**
 * For a panel that works without the companion but does more with it: why it is not there, then
 * what the panel does without it; and the button to Options.
 */
export function withoutCompanion(state: CompanionStatus['state'], without: string): { line: string; fix: string } {
  const why = state === 'outdated' ? 'The companion needs an update' : state === 'failed' ? 'The companion did not start' : 'The companion is not installed';
  return { line: `${why}: ${without}`, fix: state === 'outdated' ? 'Update the companion' : 'Set up the companion' };
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
