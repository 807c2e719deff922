import type { ComponentChildren } from 'preact';

/**
 * Remove, asked twice: Remove first, then the named removal (`children`) beside Keep. Which row
 * is asking is the section's (`asking`), so that asking on one row takes back another's.
 */
export function RemoveButton(props: { asking: boolean; onAsk: (asking: boolean) => void; onRemove: () => void; children: ComponentChildren }) {
  if (!props.asking) {
    return (
      <button type="button" class="small" onClick={() => props.onAsk(true)}>
        Remove
      </button>
    );
  }
  return (
    <>
      <button type="button" class="small danger" onClick={props.onRemove}>
        {props.children}
      </button>
      <button type="button" class="small" onClick={() => props.onAsk(false)}>
        Keep
      </button>
    </>
  );
}
