import { html, raw, type Html } from '../html';

/** A bolt page header: title area on the left, (late) command bar on the right. */
export function pageHeader(opts: { title: string; extraClass?: string; before?: Html; after?: Html; commandbar?: Html }): Html {
  return html`<div class="bolt-header${opts.extraClass ? ` ${opts.extraClass}` : ''} flex-row">
<div class="bolt-header-title-area flex-row flex-center rhythm-horizontal-8">
${opts.before}<div role="heading" aria-level="1" class="bolt-header-title title-m l text-ellipsis">${opts.title}</div>${opts.after}
</div>
<div class="sandbox-header-commands flex-row">${opts.commandbar}</div>
</div>`;
}

/**
 * The command bar shape every header shares (see MARKUP.md): azure-devops-ui's HeaderCommandBar, a
 * ResponsiveLayout whose button group's children are its items by DOM index, ⋮ last (the page
 * script lays it out: client/responsive-layout.ts). `extraClass` goes on both the outer menubar and
 * the inner group, as Azure DevOps does with `repos-files-header-commandbar`.
 */
export function commandBar(items: Html[], extraClass = ''): Html {
  const extra = extraClass ? ` ${extraClass}` : '';
  return html`<div class="flex-self-start bolt-header-commandbar bolt-button-group flex-row${extra}" role="menubar">
<div class="flex-self-start bolt-header-commandbar-button-group flex-row flex-center flex-grow scroll-hidden rhythm-horizontal-8${extra}" data-sandbox-responsive>
${items}
</div>
</div>`;
}

/** A command; `id` only where a public source shows the command's id (`__bolt-` + the item's id). */
export function commandButton(opts: { id?: string; label: string; icon?: string; primary?: boolean; attrs?: Html; href?: string }): Html {
  const cls = `bolt-header-command-item-button bolt-button bolt-icon-button enabled${opts.primary ? ' primary' : ''} bolt-focus-treatment`;
  const id = opts.id ? html` id="__bolt-${opts.id}"` : '';
  const inner = html`${opts.icon && html`<span class="left-icon flex-noshrink fabric-icon ${opts.icon} medium" aria-hidden="true"></span>`}<span class="bolt-button-text body-m">${opts.label}</span>`;
  if (opts.href) return html`<a${id} class="${cls}" role="menuitem" aria-roledescription="button" href="${opts.href}">${inner}</a>`;
  return html`<button${id} class="${cls}" role="menuitem" aria-roledescription="button" type="button"${opts.attrs ?? ''}>${inner}</button>`;
}

/**
 * The ⋮ item at the end of a command bar; `entries` are its menu's own entries (overflowed commands
 * come first), `contributed` the installed extensions' items (views/extension-menus.ts), last.
 */
export function moreButton(id: string, entries: string[] = [], contributed?: Html): Html {
  return html`<div class="bolt-header-command-item-button"><button id="${id}" class="bolt-button bolt-icon-button enabled subtle icon-only bolt-focus-treatment" role="menuitem" type="button" aria-label="More actions" aria-haspopup="true" data-sandbox-action="more" data-sandbox-entries="${entries.join('|')}">${raw('&#8942;')}</button>${contributed}</div>`;
}

/** A ⋮ of a list row or a toolbar (not a command bar's): its own entries, then the extensions' items. */
export function rowMoreButton(label: string, entries: string[], contributed?: Html): Html {
  return html`<span class="sandbox-row-more"><button class="bolt-button bolt-icon-button enabled subtle icon-only bolt-focus-treatment" type="button" aria-label="${label}" aria-haspopup="true" data-sandbox-action="more" data-sandbox-entries="${entries.join('|')}">${raw('&#8942;')}</button>${contributed}</span>`;
}

/** A branch picker button (`.version-dropdown`); `which` says which URL query it changes. */
export function versionDropdown(branch: string, which: 'version' | 'sourceRef' | 'targetRef', label = 'Branch'): Html {
  return html`<div class="version-dropdown">
<button class="bolt-button bolt-expandable-button bolt-dropdown-expandable-button enabled" type="button" aria-haspopup="listbox" aria-expanded="false" aria-label="${label}: ${branch}" data-sandbox-action="branch-menu" data-sandbox-which="${which}"><span class="fabric-icon ms-Icon--OpenSource flex-noshrink" aria-hidden="true">${raw('&#x2442;')}</span><span class="bolt-dropdown-expandable-button-label justify-start flex-grow text-ellipsis">${branch}</span><span class="fabric-icon ms-Icon--ChevronDownMed flex-noshrink" aria-hidden="true">${raw('&#9662;')}</span></button>
</div>`;
}

export function tabBar(tabs: { id: string; label: string; href: string; selected: boolean }[], extraClass = ''): Html {
  return html`<div class="bolt-tabbar${extraClass ? ` ${extraClass}` : ''}" role="tablist">${tabs.map(
    (t, i) =>
      html`<a id="__bolt-tab-${t.id}" class="bolt-tab focus-treatment flex-noshrink${t.selected ? ' selected' : ''}" role="tab" aria-selected="${String(t.selected)}" aria-posinset="${i + 1}" aria-setsize="${tabs.length}" href="${t.href}">${t.label}</a>`,
  )}</div>`;
}

export function messageBar(text: string): Html {
  return html`<div class="bolt-messagebar severity-error" role="alert">${text}</div>`;
}

export function relativeDay(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}
