import * as SDK from 'azure-devops-extension-sdk';
import { HANDOFF_CHANNEL, isHandoffAck, type Handoff } from '../../src/shared/ado-extension';
import { readChoice, type ActionChoice, type ActionKind } from './context';

/**
 * The menu actions. Azure DevOps loads this page in a hidden iframe and calls `execute(context)`
 * when the user picks one of our menu items. The page tells the browser extension (its content
 * script on the Azure DevOps page, SECURITY.md "The Azure DevOps extension") what was chosen;
 * the browser extension shows its own panel and acts only on the user's click there. When no
 * browser extension answers, a dialog offers what can be done without it.
 */

const ACTIONS: Record<string, ActionKind> = {
  'clone-repository': 'clone',
  'clone-branch': 'clone',
  'checkout-pull-request': 'checkout',
  'start-work-item': 'startWork',
  'start-work-items': 'startWork',
};

/** How long the browser extension has to answer before the dialog opens instead. */
const ACK_WAIT_MS = 1500;

const newId = () => Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');

/** The Azure DevOps page that framed us: only it should hear what the user chose. */
function hostOrigin(): string {
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  if (ancestors && ancestors.length > 0) return ancestors[ancestors.length - 1]!;
  try {
    return new URL(document.referrer).origin;
  } catch {
    return '*';
  }
}

function handOff(choice: ActionChoice): Promise<boolean> {
  const id = newId();
  const { httpsUrl: _h, sshUrl: _s, ...rest } = choice;
  const message: Handoff = { channel: HANDOFF_CHANNEL, id, organization: SDK.getHost().name, ...rest };
  return new Promise((resolve) => {
    const done = (answered: boolean) => {
      window.removeEventListener('message', onMessage);
      clearTimeout(timer);
      resolve(answered);
    };
    const onMessage = (e: MessageEvent) => {
      if (e.source === window.top && isHandoffAck(e.data, id)) done(true);
    };
    const timer = setTimeout(() => done(false), ACK_WAIT_MS);
    window.addEventListener('message', onMessage);
    window.top?.postMessage(message, hostOrigin());
  });
}

async function fallbackDialog(choice: ActionChoice, error?: string): Promise<void> {
  const layout = await SDK.getService<{ openCustomDialog(id: string, options: object): void }>('ms.vss-features.host-page-layout-service');
  const { publisherId, extensionId } = SDK.getExtensionContext();
  layout.openCustomDialog(`${publisherId}.${extensionId}.companion-dialog`, {
    title: choice.action === 'startWork' ? 'Start work' : choice.action === 'checkout' ? 'Check out locally' : 'Clone to desktop',
    configuration: { choice, organization: SDK.getHost().name, ...(error ? { error } : {}) },
  });
}

async function execute(action: ActionKind, context: unknown): Promise<void> {
  let choice: ActionChoice;
  try {
    choice = readChoice(action, context, SDK.getWebContext().project?.name);
  } catch (e) {
    return fallbackDialog({ action, project: SDK.getWebContext().project?.name ?? '' }, (e as Error).message);
  }
  if (!(await handOff(choice))) await fallbackDialog(choice);
}

export function start(): void {
  // Registered before the handshake under the manifest's `registeredObjectId`, so a click that
  // arrives as soon as the frame loads finds its action.
  for (const [id, action] of Object.entries(ACTIONS)) {
    SDK.register(id, { execute: (context: unknown) => SDK.ready().then(() => execute(action, context)) });
  }
  void SDK.init();
}

start();
