import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

/**
 * Remove, asked twice: Remove first, then the named removal (`children`) beside Keep. Which row
 * is asking is the section's (`asking`), so that asking on one row takes back another's. The
 * focus follows the buttons that replace the clicked one: to Keep (the safe answer), and back to
 * Remove once kept.
 */
export function RemoveButton(props: { asking: boolean; onAsk: (asking: boolean) => void; onRemove: () => void; children: ComponentChildren }) {
  const keep = useRef<HTMLButtonElement>(null);
  const remove = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  // Before the page can paint or take a key press: until then the focus can sit on the named
  // removal, where a second Enter would remove without the question (a fresh CI run saw it there).
  useLayoutEffect(() => {
    // Only what the person did moves the focus: not the first draw, nor another row's asking.
    if (props.asking) keep.current?.focus();
    else if (asked.current && document.activeElement === document.body) remove.current?.focus();
    asked.current = props.asking;
  }, [props.asking]);
  if (!props.asking) {
    return (
      <button ref={remove} type="button" class="small" onClick={() => props.onAsk(true)}>
        Remove
      </button>
    );
  }
  return (
    <>
      <button type="button" class="small danger" onClick={props.onRemove}>
        {props.children}
      </button>
      <button ref={keep} type="button" class="small" onClick={() => props.onAsk(false)}>
        Keep
      </button>
    </>
  );
}
