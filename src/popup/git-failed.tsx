import { explainCloneFailure, failureActions } from '../shared/clone-failure';
import type { ReplyError } from '../shared/messages';
import { helpLabel } from '../shared/next-step';
import { openOptions } from './open';

/**
 * git failed for the popup (a clone, a checkout), as the page panels say it: the cause, the next
 * step with the button that takes it, and git's own line under "Details". A failure before git (a
 * refused token, no account) keeps its Options button and help page.
 */
export function GitFailed(props: { error: ReplyError; task: 'clone' | 'checkout'; title: string; onRetry: () => void; onDismiss?: () => void }) {
  const { error } = props;
  const help = explainCloneFailure(error, { profile: true, task: props.task });
  const { fix, retry } = failureActions(error, help, { profile: true });
  return (
    <div class="note error" role="alert" data-code={error.code} data-testid={`${props.task}-failed`}>
      <span class="title">{props.title}</span>
      <p>{help.cause}</p>
      <p>{help.next}</p>
      {help.details && (
        <details>
          <summary>Details</summary>
          <code class="path">{help.details}</code>
        </details>
      )}
      {error.helpUrl && (
        <p>
          <a href={error.helpUrl} target="_blank" rel="noreferrer">
            {helpLabel(error.helpUrl)}
          </a>
        </p>
      )}
      <div class="actions">
        {fix && (
          <button type="button" data-main onClick={() => openOptions(fix[1], error.profileId)}>
            {fix[0]}
          </button>
        )}
        {retry && (
          <button type="button" data-main={fix ? undefined : true} onClick={props.onRetry}>
            Try again
          </button>
        )}
        {props.onDismiss && (
          <button type="button" class="link" onClick={props.onDismiss}>
            Dismiss
          </button>
        )}
      </div>
    </div>
  );
}
