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
}

/**
 * One injected feature. The registry mounts it once per view, at the first anchor that appears
 * (selectors newest Azure DevOps markup first), or in the floating dock when none does.
 */
export interface Feature {
  id: FeatureId;
  /** Short name for the floating dock and for people using screen readers. */
  title: string;
  include: readonly PagePredicate[];
  /** Where it goes, from `anchors.ts`; only those listed for the page's kind are looked for. */
  anchors: readonly Anchor[];
  /** Draws the feature at `anchor` and returns the node it added; the registry removes that node on abort. */
  mount(anchor: Element, ctx: MountContext): Element;
}
