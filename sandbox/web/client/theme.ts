const LIGHT = { cls: 'ms-vss-web-vsts-theme', id: 'ms.vss-web.vsts-theme' };
const DARK = { cls: 'ms-vss-web-vsts-theme-dark', id: 'ms.vss-web.vsts-theme-dark' };

/** With the `auto` theme, follows `prefers-color-scheme` while the page lives. */
export function followSystemTheme(): void {
  const body = document.body;
  if (body.dataset.sandboxThemePref !== 'auto' || !window.matchMedia) return;
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = () => {
    const [from, to] = query.matches ? [LIGHT, DARK] : [DARK, LIGHT];
    body.classList.remove(from.cls);
    body.classList.add(to.cls);
    body.dataset.theme = to.id;
  };
  apply();
  query.addEventListener('change', apply);
}
