import { builtInGitignore, GITIGNORE_FALLBACK } from '../../shared/ado/gitignore-templates';
import { isAdoError, type InitialPushInput } from '../../shared/ado/client';
import { renderLicense } from '../../shared/ado/licenses';
import type { CreatedRepo, RepoSummary } from '../../shared/messages';
import { refusedOutright } from '../../shared/next-step';
import { OUR_NEW_REPO } from '../../shared/storage-keys';
import { clientOf } from '../connections';
import { toReplyError } from '../errors';
import { profileOrThrow, type GatewayDeps, type Handlers } from './types';

type RepoRequests = 'repos.gitignoreTemplates' | 'repos.create' | 'repos.ourCreate' | 'repos.branches';

/** A create this browser sent (OUR_NEW_REPO), and its answer once it finished. */
interface OurCreate {
  at: number;
  answer?: CreatedRepo;
}

/** A profile's creates sent from this browser (OUR_NEW_REPO), by `{projectId}/{name in lower case}`. */
function ourCreates(deps: GatewayDeps, profileId: string, req: { projectId: string; name: string }) {
  const key = OUR_NEW_REPO.key(profileId);
  const repo = `${req.projectId}/${req.name.toLowerCase()}`;
  const all = async () => ((await deps.session.get([key]))[key] ?? {}) as Record<string, OurCreate>;
  return {
    get: async () => (await all())[repo],
    keep: async (create: OurCreate | undefined) => {
      const { [repo]: _was, ...others } = await all();
      await deps.session.set({ [key]: create ? { ...others, [repo]: create } : others });
    },
  };
}

const shortBranch = (ref: string) => ref.replace(/^refs\/heads\//, '');

export function repoHandlers(deps: GatewayDeps): Pick<Handlers, RepoRequests> {
  return {
    'repos.gitignoreTemplates': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      try {
        const names = await clientOf(deps, p, ctx).gitignoreTemplates(req.project);
        if (names.length > 0) return { names: names.toSorted((a, b) => a.localeCompare(b)), builtIn: false };
      } catch (e) {
        // The list needs OAuth or a full-scope token; without it the built-in templates serve. A server
        // that failed or could not be reached is said as such (the popup offers Try again).
        if (!isAdoError(e) || e.kind === 'server' || e.kind === 'network' || e.kind === 'rateLimited') throw e;
      }
      return { names: GITIGNORE_FALLBACK.map((t) => t.name), builtIn: true };
    },

    'repos.create': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      // Everything the first commit needs is checked before the repository exists.
      const license = req.license ? renderLicense(req.license.id, req.license) : undefined;
      let gitignore: InitialPushInput['gitignore'];
      if (req.gitignore?.builtIn) {
        const content = builtInGitignore(req.gitignore.name);
        if (content === undefined) throw new Error(`There is no built-in .gitignore template named “${req.gitignore.name}”.`);
        gitignore = { content };
      } else if (req.gitignore) {
        gitignore = { template: req.gitignore.name };
      }
      const api = clientOf(deps, p, ctx);
      const ours = ourCreates(deps, p.id, req);
      const earlier = await ours.get();
      // Marked before it is sent: a worker stopped while Azure DevOps creates it still knows it as ours.
      await ours.keep({ ...earlier, at: deps.now() });
      const done = async (answer: CreatedRepo) => {
        await ours.keep({ at: deps.now(), answer });
        return answer;
      };
      let created;
      try {
        created = await api.createRepository({ projectId: req.projectId, name: req.name });
      } catch (e) {
        if (!isAdoError(e) || e.kind !== 'conflict' || !earlier) {
          if (!earlier && isAdoError(e) && refusedOutright(e.kind)) await ours.keep(undefined);
          throw e;
        }
        const existing = await api.repository({ project: req.projectId, repositoryId: req.name }).catch(() => undefined);
        if (!existing) throw e;
        // Made by an earlier Create whose answer never reached its popup (closed, Stop waiting): that answer.
        if (earlier.answer && earlier.answer.repo.id === existing.id && !earlier.answer.warning) return earlier.answer;
        // Ours, cut off before its first commit (worker stopped, the files failed): finished, not
        // refused. Someone else's empty repository of that name is not ours to commit to.
        if (existing.defaultBranch || (existing.size ?? 0) > 0) throw e;
        created = existing;
      }
      const repo: RepoSummary = {
        id: created.id,
        name: created.name,
        project: { id: created.project.id, name: created.project.name },
        remoteUrl: created.remoteUrl,
        ...(created.sshUrl ? { sshUrl: created.sshUrl } : {}),
        ...(created.webUrl ? { webUrl: created.webUrl } : {}),
      };
      const files = [req.readme ? '/README.md' : undefined, gitignore ? '/.gitignore' : undefined, license ? '/LICENSE' : undefined].filter(
        (f): f is string => f !== undefined,
      );
      const branch = shortBranch(req.defaultBranch);
      if (files.length === 0) return done({ repo, branch, files });
      try {
        const push = await api.initialPush({
          project: created.project.id,
          repositoryId: created.id,
          branch,
          ...(req.readme ? { readme: `# ${req.name}\n` } : {}),
          ...(gitignore ? { gitignore } : {}),
          ...(license ? { license } : {}),
        });
        const commitId = push.commits?.[0]?.commitId;
        return done({ repo: { ...repo, defaultBranch: `refs/heads/${branch}` }, branch, files, ...(commitId ? { commitId } : {}) });
      } catch (e) {
        // The repository exists now: say so, and what went wrong with its first files.
        const why = toReplyError(e, p).message;
        return done({ repo, branch, files: [], warning: `The repository was created, but its first files could not be added. ${why}` });
      }
    },

    'repos.ourCreate': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      const answer = (await ourCreates(deps, p.id, req).get())?.answer;
      return answer ? { created: answer } : {};
    },

    'repos.branches': async (req, ctx) => {
      const p = await profileOrThrow(deps, req.profileId, ctx);
      const api = clientOf(deps, p, ctx);
      const ref = { project: req.repo.project, repositoryId: req.repo.id };
      const [repo, refs] = await Promise.all([api.repository(ref), api.branches(ref)]);
      const branches = refs.map((r) => shortBranch(r.name)).toSorted((a, b) => a.localeCompare(b));
      return { branches, ...(repo.defaultBranch ? { defaultBranch: shortBranch(repo.defaultBranch) } : {}) };
    },
  };
}
