import { AskError } from '../shared/ask';
import { ask } from './ask';
import type { CompanionStatus, PageContextAnswer } from '../shared/messages';
import { nextStepFor, type NextStep } from '../shared/next-step';

/**
 * What the features ask the background about the page over and over: which profile serves it and
 * whether the companion is installed. Remembered briefly, so a view change costs no round trip,
 * yet a profile added in Options shows up soon.
 */
const TTL_MS = 30_000;

function remembered<T>(load: () => Promise<T>): { get(): Promise<T>; forget(): void } {
  let value: { at: number; promise: Promise<T> } | undefined;
  return {
    get() {
      if (!value || Date.now() - value.at > TTL_MS) {
        const promise = load();
        value = { at: Date.now(), promise };
        // A failure is not remembered.
        promise.catch(() => {
          if (value?.promise === promise) value = undefined;
        });
      }
      return value.promise;
    },
    forget() {
      value = undefined;
    },
  };
}

export const pageContext = remembered<PageContextAnswer>(() => ask({ type: 'page.context' }));
export const companionStatus = remembered<CompanionStatus>(() => ask({ type: 'companion.status' }));

/** A sentence for a person from anything a request threw. */
export function problemText(e: unknown): string {
  if (e instanceof AskError) return e.message;
  if (e instanceof Error && /Extension context invalidated/i.test(e.message)) return 'The extension was updated. Reload the page to use it again.';
  return e instanceof Error ? e.message : String(e);
}

export type { NextStep };

/** A failure as a panel shows it: the sentence, the Options button that fixes it, the help page it names. */
export interface Problem {
  message: string;
  next?: NextStep | undefined;
  helpUrl?: string | undefined;
}

export function problemOf(e: unknown): Problem {
  return { message: problemText(e), next: nextStepFor(e instanceof AskError ? e.code : undefined), helpUrl: e instanceof AskError ? e.reply.helpUrl : undefined };
}

/** A random id for a task the page can cancel. */
export const taskId = () => crypto.randomUUID();
