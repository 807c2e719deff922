import { fill, h, onActivate, widget, widgetRoot, type Child } from './dom';

export interface Popover {
  /** Where the caller draws the panel's content. */
  body: HTMLElement;
  close(): void;
}

export interface PopoverOptions {
  /** The button that opened it: focus returns there, and it is placed below it. */
  trigger: HTMLElement;
  /** The trigger's widget host (clicks on it are not "outside"). */
  owner: Element;
  label: string;
  signal: AbortSignal;
  onClose?: () => void;
}

const FOCUSABLE = 'button:not(:disabled),input:not(:disabled),select:not(:disabled),a[href],[tabindex="0"]';
const PAGE_TABBABLE = 'a[href],button,input,select,textarea,[tabindex],[contenteditable="true"],[data-adoc]';

/**
 * The element Tab reaches after `owner` in the page: the panel is drawn at the end of <body>, but
 * for the keyboard it belongs right after its button. Our own widgets count as one stop each.
 */
function nextInPage(owner: Element): HTMLElement | undefined {
  for (const el of document.querySelectorAll<HTMLElement>(PAGE_TABBABLE)) {
    if (!(owner.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) || owner.contains(el)) continue;
    if (el.matches('.adoc-popover')) continue;
    if (el.tabIndex < 0 || (el as HTMLButtonElement).disabled || el.getClientRects().length === 0) continue;
    return el;
  }
  return undefined;
}

/**
 * Where the focus goes in a panel drawn or redrawn: its `data-focus`, else its first control that
 * can take it (a link in a sentence, such as a new branch's, is not where the next step is), else
 * anything focusable.
 */
const firstFocus = (body: HTMLElement) =>
  body.querySelector<HTMLElement>('[data-focus]') ?? body.querySelector<HTMLElement>('button:not(:disabled), input:not(:disabled), select:not(:disabled)') ?? body.querySelector<HTMLElement>(FOCUSABLE);

/**
 * Draws `content` in place of what `el` shows. Focus that was inside it moves to the new content's
 * `data-focus` or first control; with none (loading), `el` keeps it (give it a tabindex of -1), so
 * the focus never falls to the page under it. Focus that was in a part marked `data-key` (a row; give
 * it a tabindex of -1 too) stays with the part of that key in the new content: its own `data-focus`
 * or first control, else the part itself, which shows how the row's action went.
 */
export function refill(el: HTMLElement, ...content: (Child | Child[])[]): void {
  const at = (el.getRootNode() as ShadowRoot).activeElement;
  const had = el.contains(at);
  const key = at?.closest<HTMLElement>('[data-key]')?.dataset.key;
  fill(el, ...content);
  if (!had) return;
  const part = key === undefined ? undefined : [...el.querySelectorAll<HTMLElement>('[data-key]')].find((p) => p.dataset.key === key);
  const within = part ?? el;
  (firstFocus(within) ?? within).focus();
}

/**
 * A panel like Azure DevOps' callouts, drawn at the end of <body> (command bars clip their
 * content) and kept below its trigger while the page scrolls. Escape, a click outside, or the
 * view going away closes it.
 */
export function openPopover(opts: PopoverOptions, render: (body: HTMLElement) => void): Popover {
  const { host, root } = widget('popover', 'div');
  host.style.cssText = 'position:fixed;z-index:2147483000;top:0;left:0';
  // It holds the focus itself while a view has no control (loading, a result), so the focus stays
  // in the panel, not on the page, until the next view's control takes it.
  const body = h('div', { class: 'adoc-panel', role: 'dialog', 'aria-label': opts.label, tabindex: -1 });
  root.append(body);
  const life = new AbortController();
  const close = () => {
    if (life.signal.aborted) return;
    // Its Close (or a control that closes it) goes with it: the focus goes back to the button.
    const hadFocus = root.activeElement !== null;
    life.abort();
    host.remove();
    opts.onClose?.();
    if (hadFocus) opts.trigger.focus();
  };
  opts.signal.addEventListener('abort', close, { once: true, signal: life.signal });

  // The side is chosen once, for the panel's largest size (its CSS max-height), not for what it
  // shows first: content that arrives later (a plan, a result) makes it grow away from its trigger
  // within the room on that side, so nothing in it moves under a pointer on its way to a button.
  let below: boolean | undefined;
  const place = () => {
    const r = opts.trigger.getBoundingClientRect();
    const width = body.offsetWidth || 440;
    const left = Math.max(8, Math.min(r.left, window.innerWidth - width - 12));
    const largest = window.innerHeight * 0.7;
    const roomBelow = window.innerHeight - r.bottom - 12;
    const roomAbove = r.top - 12;
    // Below the trigger, or above it when there is not room enough below (the floating dock sits at the bottom).
    below ??= roomBelow >= largest || roomBelow >= roomAbove;
    host.style.left = `${left}px`;
    if (below) {
      host.style.top = `${r.bottom + 4}px`;
      host.style.bottom = '';
    } else {
      host.style.top = 'auto';
      host.style.bottom = `${window.innerHeight - r.top + 4}px`;
    }
    body.style.maxHeight = `${Math.max(120, Math.min(largest, below ? roomBelow : roomAbove))}px`;
  };
  let frame = 0;
  const later = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(place);
  };
  addEventListener('scroll', later, { capture: true, passive: true, signal: life.signal });
  addEventListener('resize', later, { signal: life.signal });
  document.addEventListener(
    'pointerdown',
    (e) => {
      const path = e.composedPath();
      if (!path.includes(host) && !path.includes(opts.owner)) close();
    },
    { capture: true, signal: life.signal },
  );
  // Escape closes it wherever the focus is (a click on the page may have taken it away), like the site's callouts.
  document.addEventListener(
    'keydown',
    (e) => {
      if (e.key !== 'Escape' || !e.isTrusted) return;
      if (e.composedPath().includes(host)) e.stopPropagation();
      close();
      opts.trigger.focus();
    },
    { capture: true, signal: life.signal },
  );

  // Tab past the panel's last control goes on to what follows its button in the page (the panel
  // closes); Shift+Tab before its first goes back to the button. The focus may be on no control
  // (the panel, or a row that holds it after its action): what counts is whether one is after it, or before.
  body.addEventListener(
    'keydown',
    (e) => {
      if (e.key !== 'Tab') return;
      const at = root.activeElement ?? body;
      const controls = [...body.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((c) => c.getClientRects().length > 0);
      const beyond = (side: number) => controls.some((c) => at.compareDocumentPosition(c) & side);
      if (!e.shiftKey && !beyond(Node.DOCUMENT_POSITION_FOLLOWING)) {
        e.preventDefault();
        const next = nextInPage(opts.owner);
        close();
        if (next?.dataset.adoc) (widgetRoot(next)?.querySelector<HTMLElement>(FOCUSABLE) ?? next).focus();
        else (next ?? opts.trigger).focus();
      } else if (e.shiftKey && !beyond(Node.DOCUMENT_POSITION_PRECEDING)) {
        e.preventDefault();
        opts.trigger.focus();
      }
    },
    { signal: life.signal },
  );

  document.body.append(host);
  render(body);
  place();
  (firstFocus(body) ?? body).focus();
  return { body, close };
}

/** One popover a trigger opens and closes, for features that redraw it as their state changes. */
export interface PopoverToggle {
  /** The open panel, if any. */
  readonly current: Popover | undefined;
  /** Opens it as a click on the trigger would (the first click, taken while the feature's code loaded). */
  open(): void;
  close(): void;
  /** Draws `content` in the open panel; focus that was inside it moves as `refill` says. */
  redraw(content: (Child | Child[])[]): void;
}

/**
 * Clicking `trigger` opens the popover (drawn by `draw`), clicking it again closes it;
 * `aria-expanded` follows. `onOpen` runs after each opening, `onClose` after each closing.
 */
export function popoverToggle(
  opts: Omit<PopoverOptions, 'onClose'> & { draw: (body: HTMLElement) => void; onOpen?: () => void; onClose?: () => void },
): PopoverToggle {
  let panel: Popover | undefined;
  const open = () => {
    if (panel || opts.signal.aborted) return;
    opts.trigger.setAttribute('aria-expanded', 'true');
    panel = openPopover(
      {
        ...opts,
        onClose: () => {
          panel = undefined;
          opts.trigger.setAttribute('aria-expanded', 'false');
          opts.onClose?.();
        },
      },
      opts.draw,
    );
    opts.onOpen?.();
  };
  onActivate(opts.trigger, () => (panel ? panel.close() : open()), opts.signal);
  return {
    get current() {
      return panel;
    },
    open,
    close: () => panel?.close(),
    // A disabled control cannot take the focus (a row's Add while it adds): the first one that can does.
    redraw: (content) => panel && refill(panel.body, ...content),
  };
}
