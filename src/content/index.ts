import { listenForHandoffs } from './ado-extension-handoff';
import { ask } from './ask';
import { parseAdoUrl } from '../shared/ado/urls';
import type { FeatureId } from '../shared/messages';
import { FEATURES } from './features';
import { floatingDock } from './floating-dock';
import { documentSource } from './observe';
import { answerPageFetches } from './page-fetch';
import { startRegistry } from './registry';
import { pageContext } from './session';
import { shareStyles } from './ui/dom';
import { STYLES } from './ui/styles';

/**
 * The feature switches: asked once, then answered from memory while a fresh copy is fetched, so a
 * view never waits for the background (a switch changed in Options counts from the next view on).
 */
function switches(): () => Promise<(id: FeatureId) => boolean> {
  let known: Promise<(id: FeatureId) => boolean> | undefined;
  return () => {
    const fresh = ask({ type: 'features.settings' }).then(({ features }) => {
      const off = new Set(features.filter((f) => !f.enabled).map((f) => f.id));
      return (id: FeatureId) => !off.has(id);
    });
    const answer = known ?? fresh;
    known = fresh.catch(() => answer);
    return answer;
  };
}

// Marks the page so people and tests can see the companion is active here, and which page it thinks it is.
const mark = (page: string) => (document.documentElement.dataset.adoCompanion = page);

/** Azure DevOps Server pages run this script only on servers the user added: ask which they are. */
async function onPremHosts(): Promise<string[]> {
  if (parseAdoUrl(location.href)) return [];
  return (await pageContext.get().catch(() => ({ onPremHosts: [] }))).onPremHosts;
}

// Before any widget: ours and those of the panels, loaded later into this world.
shareStyles(STYLES);

// A page of an organization without a profile: the background's REST calls go out from here, with the page's session.
answerPageFetches(((globalThis as { browser?: typeof chrome }).browser ?? globalThis.chrome).runtime);

void onPremHosts().then((hosts) => {
  const thisPage = () => parseAdoUrl(location.href, { onPremHosts: hosts }) ?? undefined;
  // Menu items of the Azure DevOps extension (ado-extension/) hand their choice to us here.
  listenForHandoffs(
    {
      page: thisPage,
      serverOrigins: () => {
        const p = thisPage();
        return p?.hostKind === 'onprem' ? [p.origin] : [];
      },
      features: FEATURES,
    },
    new AbortController().signal,
  );
  return startRegistry(
    FEATURES,
    {
      ...documentSource,
      url: () => location.href,
      enabled: switches(),
      floatingSlot: floatingDock(),
      reportMissing(feature, page, selectors) {
        if (selectors.length) ask({ type: 'features.missingAnchor', feature: feature.id, page: page.page, selectors }).catch(() => undefined);
      },
      onView: (page) => mark(page ? page.page : 'inactive'),
    },
    { parse: (url) => parseAdoUrl(url, { onPremHosts: hosts }) },
  );
});
