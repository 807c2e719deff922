import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import type { ProfilesAnswer, ReplyError, RepoSummary } from '../shared/messages';
import type { Profile } from '../shared/profile';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { Shell } from '../shared/ui/shell';
import { SkeletonRows } from '../shared/ui/skeleton';
import { Tabs, type TabDef } from '../shared/ui/tabs';
import { clonesByRepo } from './clone-match';
import { useCloneTasks } from './clone-tasks';
import { lazyComponent } from './lazy';
import { openOptions } from './open';
import { ProfileSwitcher } from './profile-switcher';
import { RepositoriesTab } from './repositories-tab';
import { rememberProfile, type Startup } from './startup';
import { useLocalClones } from './use-local-clones';
import { useRepos } from './use-repos';

const TITLE = 'Azure DevOps Companion';

// The popup opens on the repository list: the other tabs load their code when first shown.
const NewRepoTab = lazyComponent(() => import('./new-repo-tab').then((m) => m.NewRepoTab));
const PullRequestsTab = lazyComponent(() => import('./pull-requests-tab').then((m) => m.PullRequestsTab));
const NewPullRequestTab = lazyComponent(() => import('./new-pr-tab').then((m) => m.NewPullRequestTab));

export function Popup(props: { start: Startup }) {
  const [state, setState] = useState<ProfilesAnswer>();
  const [error, setError] = useState<ReplyError>();
  const [switching, setSwitching] = useState(false);

  // A layout effect: the answer is taken as soon as it comes, not a frame after the first paint.
  useLayoutEffect(() => {
    props.start.profiles.then(setState).catch((e: unknown) => setError(toReplyError(e)));
  }, []);

  const switchTo = async (id: string) => {
    setSwitching(true);
    try {
      setState(await ask({ type: 'profiles.setActive', id }));
    } catch (e) {
      setError(toReplyError(e));
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
  if (!state) {
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
      {/* Keyed by profile: switching starts every tab afresh for the new organization. */}
      <Workspace key={active.id} profile={active} start={props.start} />
    </Shell>
  );
}

function ConnectAccount() {
  return (
    <Shell title={TITLE}>
      <section aria-labelledby="connect-heading" class="connect">
        <h2 id="connect-heading">Connect an account</h2>
        <p class="muted">Sign in with Microsoft or add a personal access token to find, clone and create repositories and pull requests from here.</p>
        <button class="primary" type="button" onClick={() => openOptions('accounts')}>
          Connect an account
        </button>
      </section>
    </Shell>
  );
}

type TabId = 'repos' | 'new-repo' | 'prs' | 'new-pr';
const TABS: TabDef<TabId>[] = [
  { id: 'repos', label: 'Repositories' },
  { id: 'new-repo', label: 'New repository' },
  { id: 'prs', label: 'Pull requests' },
  { id: 'new-pr', label: 'New PR' },
];
const TAB_KEY = 'popup.tab';

function Workspace(props: { profile: Profile; start: Startup }) {
  const { profile } = props;
  const [cachedListing] = useState(() => props.start.takeCachedRepos(profile.id));
  const [tab, setTab] = useState<TabId>(() => {
    const saved = localStorage.getItem(TAB_KEY);
    return TABS.some((t) => t.id === saved) ? (saved as TabId) : 'repos';
  });
  const [prRepo, setPrRepo] = useState<RepoSummary>();
  const repos = useRepos(profile.id, cachedListing);
  const tasks = useCloneTasks(profile.id);
  const finishedClones = Object.values(tasks.tasks).filter((t) => t.state === 'done').length;
  const local = useLocalClones(finishedClones);
  const cloned = useMemo(() => clonesByRepo(local.clones ?? [], repos.listing?.items ?? []), [local.clones, repos.listing]);
  // The next popup starts reading this profile's list before it knows which profile is active.
  useEffect(() => rememberProfile(profile.id), [profile.id]);

  const select = (id: TabId) => {
    setTab(id);
    localStorage.setItem(TAB_KEY, id);
  };
  const newPullRequest = (repo: RepoSummary) => {
    setPrRepo(repo);
    select('new-pr');
  };
  return (
    <>
      <Tabs tabs={TABS} selected={tab} onSelect={select} label="Popup sections" />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="panel">
        {tab === 'repos' && (
          <RepositoriesTab profile={profile} repos={repos} cloned={cloned} clonesProblem={!!local.problem} tasks={tasks} onNewPullRequest={newPullRequest} />
        )}
        {tab === 'new-repo' && <NewRepoTab profile={profile} repos={repos} tasks={tasks} onNewPullRequest={newPullRequest} />}
        {tab === 'prs' && <PullRequestsTab profile={profile} />}
        {tab === 'new-pr' && <NewPullRequestTab key={prRepo?.id} profile={profile} repos={repos} cloned={cloned} initialRepo={prRepo} />}
      </div>
    </>
  );
}
