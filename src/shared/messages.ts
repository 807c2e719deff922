import { z } from 'zod';

/**
 * What the popup, the options page and content scripts may ask the background worker. Every
 * request is checked with these schemas on arrival; answers never carry credentials.
 */
export const Request = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping') }),
]);
export type Request = z.infer<typeof Request>;

export type Reply<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export interface PingAnswer {
  version: string;
  /** Where the ping came from, as the worker saw it: proves sender checks run. */
  sender: 'extension' | 'content';
}
