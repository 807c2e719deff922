import type { ComponentChildren } from 'preact';
import type { ReplyError } from '../messages';
import { AskError } from '../ask';

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
            {helpLabel(reply)}
          </a>
        </p>
      )}
      {props.children && <div class="actions">{props.children}</div>}
    </div>
  );
}

export function toReplyError(e: unknown): ReplyError {
  if (e instanceof AskError) return e.reply;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) return e as ReplyError;
  return { code: 'FAILED', message: e instanceof Error ? e.message : String(e) };
}

/** The words of a help page's link. */
export function helpLabel(e: ReplyError): string {
  if (/_usersSettings\/tokens/.test(e.helpUrl ?? '')) return 'Open the personal access tokens page';
  if (/organizationPolicy/.test(e.helpUrl ?? '')) return 'Open the organization policies';
  if (/_usersSettings\/keys/.test(e.helpUrl ?? '')) return 'Open the SSH keys page';
  return 'Learn more';
}
