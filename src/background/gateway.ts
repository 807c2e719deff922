import type { Runtime } from 'webextension-polyfill';
import { Request, type Reply, type PingAnswer } from '../shared/messages';
import { isAzureDevOps } from '../shared/ado/urls';

export interface GatewayDeps {
  extensionId: string;
  extensionOrigin: string;
  version: string;
}

type SenderKind = 'extension' | 'content';

/**
 * Who is asking. Our own pages (popup, options) come from the extension origin; content scripts
 * come from a tab whose URL must be an Azure DevOps page. Anything else is refused.
 */
export function classifySender(sender: Runtime.MessageSender, deps: GatewayDeps): SenderKind | undefined {
  if (sender.id !== deps.extensionId) return undefined;
  if (sender.tab) return sender.url && isAzureDevOps(sender.url) ? 'content' : undefined;
  return sender.url?.startsWith(deps.extensionOrigin) ? 'extension' : undefined;
}

export async function handleMessage(message: unknown, sender: Runtime.MessageSender, deps: GatewayDeps): Promise<Reply> {
  const from = classifySender(sender, deps);
  if (!from) return { ok: false, error: { code: 'FORBIDDEN', message: 'This sender may not talk to Azure DevOps Companion.' } };
  const parsed = Request.safeParse(message);
  if (!parsed.success) return { ok: false, error: { code: 'BAD_REQUEST', message: parsed.error.issues[0]?.message ?? 'Invalid request.' } };
  switch (parsed.data.type) {
    case 'ping': {
      const data: PingAnswer = { version: deps.version, sender: from };
      return { ok: true, data };
    }
  }
}
