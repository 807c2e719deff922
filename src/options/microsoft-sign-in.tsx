import { useEffect, useState } from 'preact/hooks';
import { orgPolicyPageUrl } from '../shared/ado/urls';
import { ask, AskError, askWithProgress } from '../shared/ask';
import type { AddedProfile, ReplyError, SignInAnswer } from '../shared/messages';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { useFocusOnChange } from '../shared/ui/focus';

type Step =
  | { step: 'start' }
  | { step: 'signingIn' }
  | { step: 'pick'; answer: SignInAnswer }
  | { step: 'finishing'; answer: SignInAnswer; organization: string }
  | { step: 'done'; added: AddedProfile };

/**
 * Sign in with Microsoft (Entra ID), then pick one of the user's organizations. An organization
 * that turned off third-party OAuth access refuses the sign-in (TF400813): that gets its own
 * explanation and a one-click way to add a token for the same organization instead. With
 * `organization`, a profile's sign-in is renewed: it starts at once, with that organization chosen.
 */
export function MicrosoftSignIn(props: { organization?: string | undefined; onAdded: () => void; onUsePat: (organization: string) => void }) {
  const [step, setStep] = useState<Step>({ step: 'start' });
  const [error, setError] = useState<ReplyError & { organization?: string }>();
  const [chosen, setChosen] = useState('');
  // Started from a profile's editor, the next steps take the focus from there.
  const box = useFocusOnChange<HTMLElement>(`${step.step}|${error?.code ?? ''}`, props.organization ? { alsoFrom: '.profile-editor' } : {});

  const signIn = async () => {
    setError(undefined);
    setStep({ step: 'signingIn' });
    try {
      const answer = await ask({ type: 'profiles.signIn' });
      const again = answer.organizations.find((o) => o.name.toLowerCase() === props.organization?.toLowerCase());
      setChosen((again ?? answer.organizations[0])?.name ?? '');
      setStep({ step: 'pick', answer });
    } catch (e) {
      setError(toReplyError(e));
      setStep({ step: 'start' });
    }
  };

  // While the organization is chosen the worker holds the sign-in's tokens; this port's end (the
  // page closed, Cancel, Start over, the choice made) tells it to drop them. A worker that stopped
  // meanwhile ended the port with it: the next one is asked to hold them again.
  const holding = step.step === 'pick' || step.step === 'finishing' ? step.answer.pending : undefined;
  useEffect(() => {
    if (!holding) return;
    const stop = new AbortController();
    const hold = (): void =>
      void askWithProgress({ type: 'profiles.holdSignIn', pending: holding }, () => undefined, stop.signal).catch((e: unknown) => {
        if (!stop.signal.aborted && e instanceof AskError && e.code === 'NO_ANSWER') hold();
      });
    hold();
    return () => stop.abort();
  }, [holding]);

  // A profile's "Sign in with Microsoft again": the sign-in starts at once, and its organization is offered first.
  useEffect(() => {
    if (!props.organization) return;
    box.current?.scrollIntoView({ block: 'center' });
    void signIn();
  }, []);

  const finish = async (answer: SignInAnswer, organization: string) => {
    setError(undefined);
    setStep({ step: 'finishing', answer, organization });
    try {
      const added = await ask({ type: 'profiles.finishSignIn', pending: answer.pending, organization });
      setStep({ step: 'done', added });
      props.onAdded();
    } catch (e) {
      setError({ ...toReplyError(e), organization });
      setStep({ step: 'pick', answer });
    }
  };

  return (
    <section class="sign-in" aria-labelledby="signin-heading" ref={box}>
      <h3 id="signin-heading">Sign in with Microsoft</h3>
      <p class="muted small">
        For Azure DevOps Services with a work or school account. Personal Microsoft accounts (outlook.com, hotmail.com) cannot sign in this way: use a
        personal access token.
      </p>
      {(step.step === 'start' || step.step === 'signingIn') && (
        <button type="button" class="primary" id="signin-start" data-main disabled={step.step === 'signingIn'} onClick={() => void signIn()}>
          {step.step === 'signingIn' ? 'Waiting for Microsoft sign-in…' : 'Sign in with Microsoft'}
        </button>
      )}
      {(step.step === 'pick' || step.step === 'finishing') && (
        <OrganizationChoice
          answer={step.answer}
          chosen={chosen}
          onChoose={setChosen}
          busy={step.step === 'finishing'}
          onFinish={() => void finish(step.answer, chosen)}
          onCancel={() => {
            setStep({ step: 'start' });
            setError(undefined);
          }}
        />
      )}
      {step.step === 'done' && (
        <div class="note success" data-testid="signin-added" tabIndex={-1} data-main>
          <span class="title">{step.added.replaced ? `Signed “${step.added.profile.name}” in again` : `Added “${step.added.profile.name}”`}</span>
          <p>Signed in as {step.added.profile.identity?.displayName}.</p>
          <button type="button" onClick={() => setStep({ step: 'start' })}>
            Add another organization
          </button>
        </div>
      )}
      {error && error.code === 'oauthDisabled' && error.organization ? (
        <OAuthDisabled organization={error.organization} onUsePat={() => props.onUsePat(error.organization!)} />
      ) : (
        error && <ErrorNote error={error} title="Sign-in did not finish" />
      )}
    </section>
  );
}

function OrganizationChoice(props: {
  answer: SignInAnswer;
  chosen: string;
  onChoose: (org: string) => void;
  busy: boolean;
  onFinish: () => void;
  onCancel: () => void;
}) {
  const { answer } = props;
  const who = `${answer.user.displayName}${answer.user.emailAddress ? ` (${answer.user.emailAddress})` : ''}`;
  if (answer.organizations.length === 0) {
    return (
      <div class="note warning">
        <p>Signed in as {who}, but this account belongs to no Azure DevOps organization.</p>
        <button type="button" onClick={props.onCancel}>
          Start over
        </button>
      </div>
    );
  }
  return (
    <form
      class="org-choice"
      onSubmit={(e) => {
        e.preventDefault();
        props.onFinish();
      }}
    >
      <fieldset>
        <legend>Signed in as {who}. Choose an organization:</legend>
        {answer.organizations.map((o) => (
          <label class="check" key={o.id}>
            <input type="radio" name="signin-org" value={o.name} checked={props.chosen === o.name} onChange={() => props.onChoose(o.name)} /> {o.name}
          </label>
        ))}
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary" id="signin-finish" data-main disabled={props.busy || !props.chosen}>
          {props.busy ? 'Checking access…' : `Use ${props.chosen || 'this organization'}`}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function OAuthDisabled(props: { organization: string; onUsePat: () => void }) {
  const policyUrl = orgPolicyPageUrl(`https://dev.azure.com/${encodeURIComponent(props.organization)}`);
  return (
    <div class="note error" role="alert" data-code="oauthDisabled">
      <span class="title">{props.organization} does not allow sign-in from apps (TF400813)</span>
      <p>
        The organization has turned off <strong>Third-party application access via OAuth</strong>, so Azure DevOps refuses this sign-in even though
        Microsoft accepted it. An organization administrator can turn it on under Organization settings › Policies. Or use a personal access token
        instead: it works whatever this policy says.
      </p>
      <div class="actions">
        <button type="button" class="primary" id="use-pat-instead" onClick={props.onUsePat}>
          Use a personal access token instead
        </button>
        <a href={policyUrl} target="_blank" rel="noreferrer">
          Open the organization policies
        </a>
      </div>
    </div>
  );
}
