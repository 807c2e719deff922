import type { AdoPage } from '../shared/ado/urls';
import type { FeatureId } from '../shared/messages';
import type { Anchor } from './anchors';

/** Says whether a feature applies to a page; `url` carries what AdoPage does not (such as `_a`). */
export type PagePredicate = (page: AdoPage, url: URL) => boolean;

export interface MountContext {
  /** Aborted when the view goes away: in-app navigation, the page re-rendered the anchor, or a better place appeared. */
  signal: AbortSignal;
  page: AdoPage;
  /** True when none of the anchors appeared in time and the feature sits in the floating dock instead. */
  floating: boolean;
  /**
   * Set by the hand-off dialog: work the feature starts at the person's click (a clone, a
   * checkout, creating a branch), which dismissing the dialog must not drop.
   */
  onWork?: (work: Promise<unknown>) => void;
}

/**
 * One injected feature. The registry mounts it once per view, at the first anchor that appears
 * (selectors newest Azure DevOps markup first), or in the floating dock when none does. What
 * `mount` draws is in the script every page loads (features.ts); the rest of a feature, its panel
 * and what it does, is in its own file and loads on first use (lazy.ts).
 */
export interface Feature {
  id: FeatureId;
  /** Short name for the floating dock and for people using screen readers. */
  title: string;
  include: readonly PagePredicate[];
  /** Where it goes, from `anchors.ts`; only those listed for the page's kind are looked for. */
  anchors: readonly Anchor[];
  /**
   * Draws the feature at `anchor` and returns the node it added; the registry removes that node on
   * abort. Undefined: the page turned out to have nothing for it (say, a pull request that does not
   * come from a fork): it is not mounted again until the view changes.
   */
  mount(anchor: Element, ctx: MountContext): Element | undefined;
}

/** What a feature's `mount` drew, handed to the feature's own code once that has loaded. */
export interface Drawn {
  /** The widget host in the page (`data-adoc` = the feature). */
  host: HTMLElement;
  /** Its closed shadow root. */
  root: ShadowRoot;
  /** Where it was placed (the anchor, or the dock's slot when floating). */
  anchor: Element;
  /** The button that opens the feature's panel (absent for a card drawn in the page). */
  trigger?: HTMLButtonElement;
  /** The button's label, for features whose label follows their state. */
  label?: { set(text: string): void };
  /** A card's body, drawn with a loading line until the feature's code fills it. */
  card?: HTMLElement;
  /**
   * Forks as remotes on a pull request: the fork it comes from, as `mount` read it from the page.
   * Read there, so that the URL parser stays out of the features' code (lazy.ts: panels' size).
   */
  fork?: { project: string; name: string };
}

/** A feature's own code: takes over what `mount` drew; `open` opens its panel as a click would. */
export type Attach = (drawn: Drawn, ctx: MountContext) => { open(): void };
