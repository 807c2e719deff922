import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import type { ProfilesAnswer, ReplyError, RepoSummary } from '../shared/messages';
import type { Profile } from '../shared/profile';
import { companionNeed } from '../shared/next-step';
import { WELCOME_STEPS } from '../shared/welcome-steps';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { Shell } from '../shared/ui/shell';
import { SkeletonRows } from '../shared/ui/skeleton';
import { Tabs, type TabDef } from '../shared/ui/tabs';
import { useCompanionStatus } from '../shared/ui/use-companion';
import { clonesByRepo } from './clone-match';
import { useCloneTasks } from './clone-tasks';
import { lazyComponent } from './lazy';
import { openOptions } from './open';
import { ProfileSwitcher } from './profile-switcher';
import { RepositoriesTab, snapshotOf, type Opening, type PendingOpen } from './repositories-tab';
import type { Snapshot } from './snapshot';
import { rememberProfile, type Startup } from './startup';
import { useLocalClones } from './use-local-clones';
import { listedProfiles, useOrgRepos } from './use-repos';

const TITLE = 'Azure DevOps Companion';
/** The key of the workspace the popup opens on, before any switch. */
const FIRST = 'first';

// The popup opens on the repository list: the other tabs load their code when first shown.
const NewRepoTab = lazyComponent(() => import('./new-repo-tab').then((m) => m.NewRepoTab));
const PullRequestsTab = lazyComponent(() => import('./pull-requests-tab').then((m) => m.PullRequestsTab));
const NewPullRequestTab = lazyComponent(() => import('./new-pr-tab').then((m) => m.NewPullRequestTab));
const WorkItemsTab = lazyComponent(() => import('./work-items-tab').then((m) => m.WorkItemsTab));

export function Popup(props: { start: Startup }) {
  const [state, setState] = useState<ProfilesAnswer>();
  const [error, setError] = useState<ReplyError>();
  const [switching, setSwitching] = useState(false);
  // A first-frame row opened before the profiles are read, kept here: another tab and back draws the
  // list afresh, and the row must still open (or say why not).
  const [opening, setOpening] = useState<PendingOpen>();
  /** A switch that failed: the popup stays on the profile it had, with the reason above it. */
  const [switchError, setSwitchError] = useState<ReplyError>();
  // Every popup opens on the repository search (focus in it); switching profile keeps the tab.
  const [tab, setTab] = useState<TabId>('repos');
  // The search covers every profile's organization whichever is active: a switch, which draws the
  // tabs afresh, keeps what was typed (and so does the first frame's field, taken over).
  const search = useState(props.start.typed);

  // A layout effect: the answer is taken as soon as it comes, not a frame after the first paint.
  useLayoutEffect(() => {
    props.start.profiles.then(setState).catch((e: unknown) => setError(toReplyError(e)));
  }, []);

  // The snapshot is of the list this popup opened on: after a switch it would show another profile's rows.
  const [switched, setSwitched] = useState(false);
  const switchTo = async (id: string) => {
    setSwitched(true);
    setSwitching(true);
    setSwitchError(undefined);
    try {
      setState(await ask({ type: 'profiles.setActive', id }));
      // A row that did not open was in the list the user has left: its note goes with it.
      setOpening(undefined);
    } catch (e) {
      setSwitchError(toReplyError(e));
    } finally {
      setSwitching(false);
    }
  };

  if (error) {
    return (
      <Shell title={TITLE}>
        <ErrorNote error={error} title="The extension could not start">
          <button type="button" onClick={() => openOptions()}>
            Open options
          </button>
        </ErrorNote>
      </Shell>
    );
  }
  const { snapshot } = props.start;
  if (!state) {
    // The last popup's first screen, drawn in this popup's first frame; the same elements take the live data.
    if (snapshot) {
      return (
        <Shell title={TITLE} header={<ProfileSwitcher profiles={snapshot.profiles} activeId={snapshot.activeId} busy onChange={() => undefined} />}>
          <Workspace key={FIRST} snapshot={snapshot} start={props.start} tab={tab} onTab={setTab} opening={[opening, setOpening]} search={search} />
        </Shell>
      );
    }
    return (
      <Shell title={TITLE} header={<span aria-hidden="true" class="skeleton line" style={{ display: 'inline-block', width: '110px' }} />}>
        <SkeletonRows count={7} label="Loading" />
      </Shell>
    );
  }
  const active = state.profiles.find((p) => p.id === state.activeId) ?? state.profiles[0];
  if (!active) return <ConnectAccount />;
  return (
    <Shell title={TITLE} header={<ProfileSwitcher profiles={state.profiles} activeId={active.id} busy={switching} onChange={(id) => void switchTo(id)} />}>
      {switchError && (
        <ErrorNote error={switchError} title="Could not switch the profile">
          <button type="button" onClick={() => setSwitchError(undefined)}>
            Dismiss
          </button>
        </ErrorNote>
      )}
      {/* Keyed by profile once switched: a switch starts every tab afresh for the new organization. The
          first frame's takes the live data, whichever profile is active, keeping what was typed in it. */}
      <Workspace
        key={switched ? active.id : FIRST}
        profiles={state.profiles}
        profile={active}
        snapshot={!switched && snapshot?.activeId === active.id ? snapshot : undefined}
        start={props.start}
        tab={tab}
        onTab={setTab}
        opening={[opening, setOpening]}
        search={search}
      />
    </Shell>
  );
}

/** Without a profile: the same first steps as the options page's welcome, each a button to its place. */
function ConnectAccount() {
  const companion = useCompanionStatus();
  const ready = companion.status?.state === 'ready';
  return (
    <Shell title={TITLE}>
      <section aria-labelledby="connect-heading" class="connect" data-testid="popup-welcome">
        <h2 id="connect-heading">Three steps to your first clone</h2>
        <ol class="steps">
          <li data-state="current">
            <h3>{WELCOME_STEPS.connect}</h3>
            <p class="muted small">Add your organization to find, clone and create repositories and pull requests from here.</p>
            {/* oxlint-disable-next-line jsx-a11y/no-autofocus -- the one thing to do here */}
            <button class="primary" type="button" autoFocus onClick={() => openOptions('accounts')}>
              Connect an account
            </button>
          </li>
          <li data-state={ready ? 'done' : 'todo'}>
            <h3>
              {WELCOME_STEPS.companion} {ready && <span class="badge success">done</span>}
            </h3>
            {ready ? (
              <p class="muted small">The companion is ready.</p>
            ) : (
              <button type="button" onClick={() => openOptions('companion')}>
                {companionNeed(companion.status?.state ?? 'missing').fix[0]}
              </button>
            )}
          </li>
          <li data-state="todo">
            <h3>{WELCOME_STEPS.clone}</h3>
            <p class="muted small">Pick one here, or choose “Clone to desktop” on its page in Azure DevOps.</p>
          </li>
        </ol>
      </section>
    </Shell>
  );
}

type TabId = 'repos' | 'new-repo' | 'prs' | 'new-pr' | 'work';
const TABS: TabDef<TabId>[] = [
  { id: 'repos', label: 'Repositories' },
  // Short, as "New PR": the five tabs fit the popup's 380 px only so.
  { id: 'new-repo', label: 'New repo' },
  { id: 'prs', label: 'Pull requests' },
  { id: 'new-pr', label: 'New PR' },
  { id: 'work', label: 'Work' },
];

/** The tabs. Without `profile` (the first frame, from the snapshot) only the repository list draws. */
function Workspace(props: {
  profiles?: Profile[];
  profile?: Profile;
  snapshot?: Snapshot | undefined;
  start: Startup;
  tab: TabId;
  onTab: (tab: TabId) => void;
  opening: Opening;
  /** What is typed into the repository search, and its setter. */
  search: [string, (query: string) => void];
}) {
  const { profile, tab, onTab: select } = props;
  const listed = useMemo(() => (profile && props.profiles ? listedProfiles(props.profiles, profile.id) : []), [profile, props.profiles]);
  const orgs = useOrgRepos(listed, props.start.takeCachedRepos);
  const repos = orgs.find((o) => o.profile.id === profile?.id)?.repos;
  const companion = useCompanionStatus();
  // `n`: each New pull request of a repository opens the form on it, whichever repository the form has moved to since.
  const [prStart, setPrStart] = useState<{ repo: RepoSummary; n: number }>();
  const tasks = useCloneTasks();
  // Read again whenever a clone ends: a clone that ran was in the list already, half made.
  const endedClones = Object.values(tasks.tasks).filter((t) => t.state !== 'running').length;
  const local = useLocalClones(endedClones);
  const items = useMemo(() => orgs.flatMap((o) => o.repos.listing?.items ?? []), [orgs]);
  const clones = useMemo(() => clonesByRepo(local.clones ?? [], items), [local.clones, items]);
  // The next popup starts reading this profile's list before it knows which profile is active.
  useEffect(() => {
    if (profile) rememberProfile(profile.id);
  }, [profile?.id]);
  // The next popup's first frame: this list's first screen, whenever every list is read or refreshed.
  useEffect(() => {
    if (!profile || !props.profiles || orgs.length === 0 || !orgs.every((o) => o.repos.listing || o.repos.error)) return;
    const snapshot = snapshotOf(props.profiles, profile.id, orgs);
    // Its renderer loads only now: the first frame does not need it. Without it, no head start.
    if (snapshot) import('./first-screen').then((m) => m.keepSnapshot(snapshot), () => undefined);
  }, [orgs]);

  const newPullRequest = (repo: RepoSummary) => {
    setPrStart((before) => ({ repo, n: (before?.n ?? 0) + 1 }));
    select('new-pr');
  };
  // The forms stay mounted, hidden, once opened: another tab and back keeps what was written, and
  // which Start work was open (the Work tab's), with its result.
  const [opened, setOpened] = useState<readonly TabId[]>([]);
  useEffect(() => {
    if ((tab === 'new-repo' || tab === 'new-pr' || tab === 'work') && !opened.includes(tab)) setOpened([...opened, tab]);
  }, [tab]);
  const form = (id: TabId) => tab === id || opened.includes(id);
  return (
    <>
      <Tabs tabs={TABS} selected={tab} onSelect={select} label="Popup sections" />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="panel">
        {tab === 'repos' && (
          <RepositoriesTab
            orgs={orgs}
            snapshot={props.snapshot}
            opening={props.opening}
            search={props.search}
            clones={{ ...clones, problem: local.problem }}
            onCheckClones={local.refresh}
            companionNeeded={companion.status?.state === 'ready' ? undefined : companion.status?.state}
            tasks={tasks}
            activeId={profile?.id}
            onNewPullRequest={newPullRequest}
          />
        )}
        {profile && repos && (
          <>
            {form('new-repo') && (
              <div hidden={tab !== 'new-repo'}>
                <NewRepoTab profile={profile} repos={repos} tasks={tasks} onNewPullRequest={newPullRequest} />
              </div>
            )}
            {tab === 'prs' && <PullRequestsTab profile={profile} companion={companion.status?.state} />}
            {form('work') && (
              <div hidden={tab !== 'work'}>
                <WorkItemsTab profile={profile} companion={companion.status?.state} />
              </div>
            )}
            {form('new-pr') && (
              <div hidden={tab !== 'new-pr'}>
                <NewPullRequestTab key={prStart?.n} profile={profile} repos={repos} cloned={clones.cloned} initialRepo={prStart?.repo} />
              </div>
            )}
          </>
        )}
      </div>
    </>
  );
}
