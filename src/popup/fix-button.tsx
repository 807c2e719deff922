import type { CompanionStatus, ReplyError } from '../shared/messages';
import { companionNeed, mayTryAgain, nextStepFor } from '../shared/next-step';
import { ErrorNote } from '../shared/ui/error-note';
import { openOptions } from './open';

/**
 * The Options button that fixes `error` where trying again cannot (an account, a token, a sign-in).
 * `about`: whose failure it is, when several such buttons stand side by side.
 */
export function FixButton(props: { error: ReplyError | undefined; class?: string; main?: boolean; about?: string | undefined }) {
  const step = nextStepFor(props.error?.code);
  if (!step) return null;
  return (
    <button
      type="button"
      class={props.class ?? 'primary'}
      data-main={props.main || undefined}
      aria-label={props.about ? `${step[0]} (${props.about})` : undefined}
      onClick={() => openOptions(step[1], props.error?.profileId)}
    >
      {step[0]}
    </button>
  );
}

/**
 * Whether a form's failed create has its way on in the note: an Options button that fixes it, or
 * Try again. Then that is the form's next step and takes the focus (data-main); otherwise (what
 * was typed was refused) the form's own first field does.
 */
export const failureLeads = (error: ReplyError | undefined) => !!error && (!!nextStepFor(error.code) || mayTryAgain(error.code));

/** A form's failed create, its way on: the Options button that fixes it, else Try again where the same again may work, each the form's main action. */
export function FailedCreateActions(props: { error: ReplyError; onRetry: (e: Event) => void }) {
  return (
    <>
      <FixButton error={props.error} main />
      {mayTryAgain(props.error.code) && (
        <button type="button" data-main onClick={props.onRetry}>
          Try again
        </button>
      )}
    </>
  );
}

/** A failure in place of what could not load: what failed, why, and the way on. */
export function FailedNote(props: { title: string; error: ReplyError; onRetry: () => void }) {
  return (
    <ErrorNote error={props.error} title={props.title}>
      <FixButton error={props.error} />
      <button type="button" onClick={props.onRetry}>
        Try again
      </button>
    </ErrorNote>
  );
}

/** One line for a failure beside what still works (a list kept, a form still usable): what failed, why, and the way on. */
export function FailedLine(props: { what: string; error: ReplyError; onRetry: () => void }) {
  return (
    <p class="small failed-line" role="alert">
      <span class="problem">
        {props.what}: {props.error.message}
      </span>{' '}
      <FixButton error={props.error} class="link small" />{' '}
      <button type="button" class="link small" onClick={props.onRetry}>
        Try again
      </button>
    </p>
  );
}

/** Said once above a tab whose actions run git, while the companion is not there: which it is, what needs it, and the button. */
export function CompanionNote(props: { state: CompanionStatus['state'] | undefined; uses: string }) {
  if (!props.state || props.state === 'ready') return null;
  const { title, fix } = companionNeed(props.state);
  return (
    <div class="note info small" role="status" data-testid="companion-note">
      <span class="title">{title}</span> {props.uses}
      <div class="actions">
        <button type="button" class="small" onClick={() => openOptions(fix[1])}>
          {fix[0]}
        </button>
      </div>
    </div>
  );
}
