import { toChildArray, type ComponentChildren } from 'preact';
import type { ReplyError } from '../messages';
import { AskError } from '../ask';
import { helpLabel } from '../next-step';

/** What went wrong, as the background said it, with its help page; `children` offer the next step. */
export function ErrorNote(props: { error: ReplyError | Error; title?: string; children?: ComponentChildren }) {
  const reply = toReplyError(props.error);
  return (
    <div class="note error" role="alert" data-code={reply.code}>
      {props.title && <span class="title">{props.title}</span>}
      <p>{reply.message}</p>
      {reply.helpUrl && (
        <p>
          <a href={reply.helpUrl} target="_blank" rel="noreferrer">
            {helpLabel(reply.helpUrl)}
          </a>
        </p>
      )}
      {/* Children that are all false or null (no action for this failure) draw no empty row. */}
      {toChildArray(props.children).length > 0 && <div class="actions">{props.children}</div>}
    </div>
  );
}

export function toReplyError(e: unknown): ReplyError {
  if (e instanceof AskError) return e.reply;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) return e as ReplyError;
  return { code: 'FAILED', message: e instanceof Error ? e.message : String(e) };
}
