import { useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import type { ReplyError } from '../shared/messages';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';

/**
 * Open folder and Open in editor for a clone a checkout has just put a branch in, and why an open
 * failed (no editor found, say). Open folder is the state's main action: the focus goes there.
 */
export function OpenClone(props: { path: string }) {
  const [problem, setProblem] = useState<ReplyError>();
  const open = (target: 'folder' | 'editor') => {
    setProblem(undefined);
    ask({ type: 'local.open', path: props.path, target }).catch((e: unknown) => setProblem(toReplyError(e)));
  };
  return (
    <>
      <div class="actions">
        <button type="button" class="small primary" data-main onClick={() => open('folder')} title={props.path}>
          Open folder
        </button>
        <button type="button" class="small" onClick={() => open('editor')}>
          Open in editor
        </button>
      </div>
      {problem && <ErrorNote error={problem} />}
    </>
  );
}
