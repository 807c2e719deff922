/**
 * The Azure DevOps extension (ado-extension/) and the browser extension talk through one
 * window.postMessage channel on the Azure DevOps page: the contribution's iframe posts a hand-off,
 * the content script answers with an acknowledgement and shows its own panel, which acts only on
 * the user's click. Both ends read this file, so they agree on the shape and on who may speak.
 */

/** The Marketplace publisher of ado-extension/vss-extension.json (a test keeps them equal). */
export const ADO_EXTENSION_PUBLISHER = 'adocompanion';

export const HANDOFF_CHANNEL = 'ado-companion/handoff';

/** The origins the Marketplace serves our publisher's contribution files from. */
export const marketplaceOrigins = (publisher = ADO_EXTENSION_PUBLISHER): string[] => [
  `https://${publisher}.gallerycdn.vsassets.io`,
  `https://${publisher}.gallery.vsassets.io`,
];

export type HandoffAction = 'clone' | 'checkout' | 'startWork';

export interface Handoff {
  channel: typeof HANDOFF_CHANNEL;
  /** Random per click; the acknowledgement names it. */
  id: string;
  action: HandoffAction;
  organization: string;
  project: string;
  repository?: string;
  branch?: string;
  pullRequestId?: number;
  workItemId?: number;
}

const KEYS = new Set(['channel', 'id', 'action', 'organization', 'project', 'repository', 'branch', 'pullRequestId', 'workItemId']);
const isName = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 256 && ![...v].some((ch) => ch.charCodeAt(0) < 0x20);
const isId = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/**
 * The shape check, hand-written so the contribution's bundle stays small (no zod): exactly these
 * keys, names of 1-256 characters without control characters, positive integer ids, and what each
 * action needs.
 */
export function isHandoff(data: unknown): data is Handoff {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const m = data as Record<string, unknown>;
  if (Object.keys(m).some((k) => !KEYS.has(k))) return false;
  if (m.channel !== HANDOFF_CHANNEL || typeof m.id !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(m.id)) return false;
  if (!isName(m.organization) || !isName(m.project)) return false;
  for (const k of ['repository', 'branch'] as const) if (m[k] !== undefined && !isName(m[k])) return false;
  for (const k of ['pullRequestId', 'workItemId'] as const) if (m[k] !== undefined && !isId(m[k])) return false;
  if (m.action === 'clone') return m.repository !== undefined;
  if (m.action === 'checkout') return m.repository !== undefined && m.pullRequestId !== undefined;
  if (m.action === 'startWork') return m.workItemId !== undefined;
  return false;
}

/** The content script's answer: the browser extension is here and shows its panel. */
export interface HandoffAck {
  channel: typeof HANDOFF_CHANNEL;
  ack: string;
}

export const isHandoffAck = (data: unknown, id: string): boolean =>
  typeof data === 'object' && data !== null && (data as HandoffAck).channel === HANDOFF_CHANNEL && (data as HandoffAck).ack === id;

/**
 * Whether a message may be a hand-off: it must come from an iframe of this very page (not the page
 * itself, not its parent, not a window it opened) whose origin is exactly one that serves our
 * contribution: the Marketplace CDN of our publisher, or an Azure DevOps Server origin the user
 * granted (a Server serves extension files itself). Everything else is ignored without a trace.
 */
export function isContributionMessage(
  event: { origin: string; source: unknown },
  childFrames: readonly unknown[],
  grantedServerOrigins: readonly string[],
): boolean {
  if (!event.source || !childFrames.includes(event.source)) return false;
  return marketplaceOrigins().includes(event.origin) || grantedServerOrigins.includes(event.origin);
}

/**
 * Reads a hand-off for the page it landed on: the organization must be the page's own (a page
 * reaches only its organization, SECURITY.md), compared without case as Azure DevOps does.
 */
export function parseHandoff(data: unknown, pageOrganization: string): Handoff | undefined {
  if (!isHandoff(data)) return undefined;
  return data.organization.toLowerCase() === pageOrganization.toLowerCase() ? data : undefined;
}
