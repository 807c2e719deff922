import { focusAfter } from '../shared/ui/focus';
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import { BRANCH_PLACEHOLDERS, branchTemplateProblem, DEFAULT_BRANCH_TEMPLATE, expandBranchTemplate } from '../shared/branch-name';
import type { ReplyError } from '../shared/messages';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';

const SAMPLE = { alias: 'ada', id: 1234, title: 'Crash when the cart is empty', type: 'Bug' };

/** The name "Start work" gives a work item's branch: a template, checked against git's rules as it is typed. */
export function BranchNamesSection() {
  const [template, setTemplate] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ReplyError>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setError(undefined);
    ask({ type: 'settings.branchTemplate' })
      .then((s) => setTemplate(s.template))
      .catch((e: unknown) => setError(toReplyError(e)));
  }, [attempt]);
  const problem = template === undefined ? undefined : branchTemplateProblem(template);
  const save = (e: Event) => {
    e.preventDefault();
    if (template === undefined || problem) return;
    setError(undefined);
    ask({ type: 'settings.setBranchTemplate', template })
      .then((s) => {
        setTemplate(s.template);
        setSaved(true);
      })
      .catch((err: unknown) => setError(toReplyError(err)));
  };
  return (
    <section id="branch-names" aria-labelledby="branch-names-heading" class="card">
      <h2 id="branch-names-heading" tabIndex={-1}>
        Branch names
      </h2>
      <form onSubmit={save} noValidate>
        <div class="field">
          <label for="branch-template">Branch for a work item</label>
          <input
            id="branch-template"
            type="text"
            spellcheck={false}
            disabled={template === undefined}
            value={template ?? ''}
            aria-invalid={!!problem}
            aria-describedby="branch-template-hint"
            onInput={(e) => {
              setTemplate(e.currentTarget.value);
              setSaved(false);
            }}
          />
          <div class="problem" role="alert">{problem}</div>
          <div class="hint" id="branch-template-hint">
            {BRANCH_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}. For bug {SAMPLE.id} “{SAMPLE.title}”:{' '}
            <code>{template !== undefined && !problem ? expandBranchTemplate(template, SAMPLE) : '…'}</code>
          </div>
        </div>
        <div class="actions">
          <button type="submit" id="branch-template-save" disabled={!!problem || template === undefined}>
            Save
          </button>
          <button
            type="button"
            disabled={template === undefined}
            onClick={() => {
              setTemplate(DEFAULT_BRANCH_TEMPLATE);
              setSaved(false);
            }}
          >
            Default
          </button>
          {saved && <span class="small muted" role="status">Saved.</span>}
        </div>
      </form>
      {error && (
        <ErrorNote error={error} title={template === undefined ? 'Could not read the branch name template' : 'The template was not saved'}>
          {template === undefined && (
            <button
              type="button"
              // Its note goes, the field disabled until the template is read: the heading holds the focus, a Tab before it.
              onClick={focusAfter(() => setAttempt((n) => n + 1), 'branch-names-heading')}
            >
              Try again
            </button>
          )}
        </ErrorNote>
      )}
    </section>
  );
}
