import type { Answers, PageRequest, PageRequestType } from '../shared/messages';
import { ask as askBackground, askWithProgress as askBackgroundWithProgress } from '../shared/ask';

/**
 * What a content script may ask: only the requests the contract opens to pages, and none names a
 * profile (the page's organization decides it). The types keep a feature from asking for more;
 * the background refuses it anyway (src/shared/messages.ts, `REQUESTS`).
 */
export function ask<T extends PageRequestType>(request: PageRequest & { type: T }): Promise<Answers[T]> {
  return askBackground(request);
}

/** `ask` for long tasks, with progress events. */
export function askWithProgress<T extends PageRequestType>(request: PageRequest & { type: T }, onProgress: (event: unknown) => void): Promise<Answers[T]> {
  return askBackgroundWithProgress(request, onProgress);
}
