import { focusAfter } from '../shared/ui/focus';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { ask } from '../shared/ask';
import type { Editor } from '../shared/host-protocol';
import type { ReplyError } from '../shared/messages';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';

// The last, where there is one: the only system (getPlatformInfo's os) the editor runs on.
const CHOICES: [Editor, string, string, string?][] = [
  ['vscode', 'Visual Studio Code', 'code or codium on your PATH'],
  ['visualstudio', 'Visual Studio', 'Windows only', 'win'],
  ['jetbrains', 'JetBrains IDE', 'the command-line launcher (idea, webstorm, rider, …) on your PATH'],
  ['default', 'System default', 'whatever opens the file type on this computer; no line'],
];

/** Which editor "Open in editor" starts, for clones and for the file you are reading. */
export function EditorSection() {
  const [editor, setEditor] = useState<Editor>();
  const [error, setError] = useState<ReplyError>();
  const [attempt, setAttempt] = useState(0);
  // The companion runs on this computer: an editor only another system has is shown, not offered.
  const [os, setOs] = useState<string>();
  useEffect(() => {
    browser.runtime.getPlatformInfo().then((p) => setOs(p.os), () => {});
  }, []);
  useEffect(() => {
    setError(undefined);
    ask({ type: 'settings.editor' })
      .then((s) => setEditor(s.editor))
      .catch((e: unknown) => setError(toReplyError(e)));
  }, [attempt]);
  const choose = (next: Editor) => {
    const before = editor;
    setEditor(next);
    setError(undefined);
    // Not saved: the choice shown goes back to the one that is, unless another was chosen since.
    ask({ type: 'settings.setEditor', editor: next }).catch((e: unknown) => {
      setEditor((shown) => (shown === next ? before : shown));
      setError(toReplyError(e));
    });
  };
  return (
    <section id="editor" aria-labelledby="editor-heading" class="card">
      <h2 id="editor-heading" tabIndex={-1}>
        Editor
      </h2>
      {/* Not a .field: its labels are the small bold captions of inputs, and these are the choices themselves. */}
      <fieldset disabled={!editor}>
        <legend class="small muted">“Open in editor” opens clones, and files at their line, with:</legend>
        {CHOICES.map(([value, label, hint, only]) => {
          const elsewhere = !!only && !!os && os !== only;
          return (
            <label key={value} class={elsewhere ? 'radio muted' : 'radio'}>
              <input type="radio" name="editor" value={value} checked={editor === value} disabled={elsewhere} onChange={() => choose(value)} /> {label}{' '}
              <span class="small muted">({elsewhere ? `${hint}: not this computer` : hint})</span>
            </label>
          );
        })}
      </fieldset>
      {error && (
        <ErrorNote error={error} title={editor ? 'The editor was not changed' : 'Could not read the editor setting'}>
          {!editor && (
            <button
              type="button"
              // Its note goes, the choices disabled until the setting is read: the heading holds the focus, a Tab before them.
              onClick={focusAfter(() => setAttempt((n) => n + 1), 'editor-heading')}
            >
              Try again
            </button>
          )}
        </ErrorNote>
      )}
    </section>
  );
}
