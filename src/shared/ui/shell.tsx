import type { ComponentChildren } from 'preact';

/** The frame both extension pages share: product name, the active profile (or a switcher), then the page. */
export function Shell(props: { title: string; profile?: string; header?: ComponentChildren; children: ComponentChildren }) {
  return (
    <>
      <header class="shell-header">
        <img src="/icons/icon-32.png" alt="" />
        <h1>{props.title}</h1>
        <span class="profile muted" data-testid="active-profile" title={props.header ? undefined : props.profile}>
          {props.header ?? props.profile ?? 'No profile connected'}
        </span>
      </header>
      <main class="shell-main">{props.children}</main>
    </>
  );
}
