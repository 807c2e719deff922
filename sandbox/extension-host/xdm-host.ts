/**
 * The host side of azure-devops-extension-sdk's XDM channel, as the sandbox's pages speak it: what
 * Azure DevOps' own page does for an extension's iframes. Written from the SDK's published source
 * (node_modules/azure-devops-extension-sdk/XDM.js and SDK.js) as the specification:
 * - messages are JSON strings `{ id, methodName, instanceId, instanceContext, params, handshakeToken }`
 *   posted with `*`; answers are `{ id, result | error, handshakeToken }`;
 * - until the first answer the SDK accepts only messages carrying its handshake token, then only
 *   its parent's origin;
 * - `initialHandshake` on `DevOps.HostControl` answers `{ contributionId, context: { extension,
 *   user, host, pageContext }, initialConfig }`; `getService` on `DevOps.ServiceManager` answers an
 *   object whose functions are `{ __proxyFunctionId }`, called back as `proxyN` on `__proxyFunctions`;
 * - the host calls a contribution's registered object the same way (`execute` on an action).
 * Runs in the page (bundled by sandbox/extension-host/server.ts); nothing runs at import.
 */

export interface Contribution {
  id: string;
  type: string;
  targets?: string[];
  properties: Record<string, string>;
}

export interface HostedExtension {
  /** Where the contribution's files are served: a separate origin, standing in for the CDN. */
  baseUrl: string;
  publisherId: string;
  extensionId: string;
  version: string;
  contributions: Contribution[];
}

export interface HostPage {
  organization: string;
  project: string;
  user: string;
}

interface RpcMessage {
  id: number;
  methodName?: string;
  instanceId?: string;
  params?: unknown[];
  result?: unknown;
  error?: unknown;
  handshakeToken?: string;
}

const LAYOUT_SERVICE = 'ms.vss-features.host-page-layout-service';

/** One iframe of the extension and the channel to it. */
class Channel {
  private nextId = 1;
  private token: string | undefined;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(
    readonly frame: HTMLIFrameElement,
    private readonly origin: string,
    private readonly handshake: () => object,
    private readonly services: Record<string, Record<string, (...args: unknown[]) => unknown>>,
    signal: AbortSignal,
  ) {
    this.ready = new Promise((r) => (this.markReady = r));
    window.addEventListener('message', (e) => this.onMessage(e), { signal });
  }

  private post(message: object): void {
    this.frame.contentWindow?.postMessage(JSON.stringify({ ...message, handshakeToken: this.token }), this.origin);
  }

  private onMessage(event: MessageEvent): void {
    if (event.source !== this.frame.contentWindow || event.origin !== this.origin || typeof event.data !== 'string') return;
    let m: RpcMessage;
    try {
      m = JSON.parse(event.data) as RpcMessage;
    } catch {
      return;
    }
    this.token ??= m.handshakeToken;
    if (!m.instanceId) {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(m.error);
      else p?.resolve(m.result);
      return;
    }
    void this.answer(m).then(
      (result) => this.post({ id: m.id, result }),
      (e: unknown) => this.post({ id: m.id, error: { message: e instanceof Error ? e.message : String(e) } }),
    );
  }

  private async answer(m: RpcMessage): Promise<unknown> {
    const params = m.params ?? [];
    if (m.instanceId === 'DevOps.HostControl' && m.methodName === 'initialHandshake') {
      queueMicrotask(this.markReady);
      return this.handshake();
    }
    if (m.instanceId === 'DevOps.ServiceManager' && m.methodName === 'getService') {
      const service = this.services[String(params[0])];
      if (!service) throw new Error(`The sandbox has no service ${String(params[0])}`);
      return Object.fromEntries(Object.keys(service).map((name) => [name, { __proxyFunctionId: this.proxy(service[name]!) }]));
    }
    if (m.instanceId === '__proxyFunctions' && m.methodName && this.proxies.has(m.methodName)) return this.proxies.get(m.methodName)!(...params);
    throw new Error(`The sandbox host does not answer ${m.instanceId}.${m.methodName}`);
  }

  private readonly proxies = new Map<string, (...args: unknown[]) => unknown>();
  private proxy(fn: (...args: unknown[]) => unknown): number {
    const n = this.proxies.size + 1;
    this.proxies.set(`proxy${n}`, fn);
    return n;
  }

  /** Calls a method of an object the contribution registered (an action's `execute`). */
  invoke(instanceId: string, methodName: string, params: unknown[]): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ id, methodName, instanceId, params });
    });
  }
}

/**
 * Hosts one extension on a sandbox page: runs its action contributions, each in a hidden iframe of
 * the extension's origin with the context its menu passes, and its custom dialogs in a visible
 * one. Returns the log of what happened, for tests.
 */
export function hostExtension(ext: HostedExtension, page: HostPage, signal: AbortSignal) {
  const origin = new URL(ext.baseUrl).origin;
  const fullId = (id: string) => `${ext.publisherId}.${ext.extensionId}.${id}`;
  const log: string[] = [];
  const actionFrames = new Map<string, Channel>();

  const handshakeFor = (contribution: Contribution, initialConfig: unknown) => () => ({
    contributionId: fullId(contribution.id),
    initialConfig,
    context: {
      extension: { id: `${ext.publisherId}.${ext.extensionId}`, publisherId: ext.publisherId, extensionId: ext.extensionId, version: ext.version },
      user: { id: 'sandbox-user', name: page.user, displayName: page.user, descriptor: 'aad.sandbox', imageUrl: '' },
      host: { id: 'sandbox-host', name: page.organization, serviceVersion: 'sandbox', type: 4, isHosted: true },
      pageContext: { webContext: { project: { id: 'sandbox-project', name: page.project }, team: { id: '', name: '' } }, globalization: {} },
    },
  });

  function frameFor(contribution: Contribution, visible: boolean, initialConfig: unknown): Channel {
    const frame = document.createElement('iframe');
    frame.src = new URL(contribution.properties.uri!, ext.baseUrl).href;
    frame.dataset.contribution = fullId(contribution.id);
    frame.setAttribute('allow', 'clipboard-write');
    if (!visible) frame.style.display = 'none';
    const channel = new Channel(frame, origin, handshakeFor(contribution, initialConfig), { [LAYOUT_SERVICE]: layoutService }, signal);
    void channel.ready.then(() => log.push(`handshake ${fullId(contribution.id)}`));
    return channel;
  }

  const layoutService = {
    openCustomDialog(...args: unknown[]) {
      const [id, options] = args as [string, { title?: string; configuration?: unknown }];
      const contribution = ext.contributions.find((c) => fullId(c.id) === id);
      if (!contribution) throw new Error(`No contribution ${id}`);
      log.push(`dialog ${id}`);
      const box = document.createElement('div');
      box.setAttribute('role', 'dialog');
      box.setAttribute('aria-label', options?.title ?? '');
      box.className = 'sandbox-extension-dialog';
      // Modal over the page, as Azure DevOps draws it: at the end of a long page it would sit below
      // the fold, and a click there races the page's scroll across the frame's process.
      box.style.cssText = 'position:fixed;top:50%;left:50%;transform:translate(-50%,-50%);z-index:1000;padding:16px;background:Canvas;box-shadow:0 8px 32px rgb(0 0 0 / 40%)';
      const heading = document.createElement('h2');
      heading.textContent = options?.title ?? '';
      const { frame } = frameFor(contribution, true, options?.configuration ?? {});
      frame.style.cssText = 'width:560px;height:260px;border:0';
      const close = document.createElement('button');
      close.textContent = 'Close';
      close.addEventListener('click', () => box.remove());
      box.append(heading, frame, close);
      document.body.append(box);
    },
  };

  /** Runs an action contribution (by its full id) with the context its menu passes, in its hidden iframe. */
  function run(contributionId: string, context: unknown): void {
    const c = ext.contributions.find((x) => fullId(x.id) === contributionId && x.type === 'ms.vss-web.action');
    if (!c) {
      log.push(`unknown ${contributionId}`);
      return;
    }
    let channel = actionFrames.get(c.properties.uri!);
    if (!channel) {
      channel = frameFor(c, false, {});
      actionFrames.set(c.properties.uri!, channel);
      document.body.append(channel.frame);
    }
    const ch = channel;
    log.push(`execute ${fullId(c.id)}`);
    void ch.ready.then(() => ch.invoke(c.properties.registeredObjectId ?? fullId(c.id), 'execute', [context])).then(
      () => log.push(`executed ${fullId(c.id)}`),
      (e: unknown) => log.push(`failed ${fullId(c.id)}: ${JSON.stringify(e)}`),
    );
  }

  return { log, run };
}

/**
 * The action contributions an extension adds to a menu that asks for the target ids `targets`
 * (Azure DevOps' Files list asks for two), in the manifest's order, each contribution once.
 */
export function actionsFor(ext: Pick<HostedExtension, 'contributions'>, targets: readonly string[]): Contribution[] {
  return ext.contributions.filter((c) => c.type === 'ms.vss-web.action' && c.targets?.some((t) => targets.includes(t)));
}
