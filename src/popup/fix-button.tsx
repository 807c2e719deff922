import type { ReplyError } from '../shared/messages';
import { nextStepFor } from '../shared/next-step';
import { openOptions } from './open';

/** The Options button that fixes `error` where trying again cannot (an account, a token, a sign-in). */
export function FixButton(props: { error: ReplyError | undefined; class?: string }) {
  const step = nextStepFor(props.error?.code);
  if (!step) return null;
  return (
    <button type="button" class={props.class ?? 'primary'} onClick={() => openOptions(step[1], props.error?.profileId)}>
      {step[0]}
    </button>
  );
}
