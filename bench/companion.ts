import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSandbox } from '../sandbox/index';
import { PROTOCOL_VERSION } from '../src/shared/host-protocol';
import { HostProcess } from './host-process';
import { type BenchResult, median, medianInterval, ms, percent, since, times } from './stats';

const range = (r: [number, number] | undefined, f: (n: number) => string) => (r ? ` (95 % CI ${f(r[0])} … ${f(r[1])})` : '');
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${ms(Math.abs(n))}`;

const run = promisify(execFile);
const START_RUNS = 30;
/** Enough paired rounds for the 95 % interval of the median to be a few points wide on this machine. */
const CLONE_RUNS = 60;
/** The companion's own start: spawn → hello answered, at most this much above `node -e 0`. */
const START_OVER_NODE_TARGET_MS = 10;
const CLONE_OVERHEAD_TARGET = 0.02;
/** The sandbox repository with the richest history (branches, many commits). */
const REPO = { org: 'fabrikam', project: 'Platform', name: 'Platform' };

/** Spawn to exit of a program that does nothing: Node's own start on this machine. */
function nodeStartMs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(since(start)) : reject(new Error(`node -e 0 exited ${code}`))));
  });
}

/** Spawn of the built host to its answer to `hello` (what the extension waits for before anything else). */
async function helloMs(program: string, env: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  const host = program.endsWith('.mjs') ? HostProcess.start(program, env) : HostProcess.startExecutable(program, env);
  await host.request('hello', { type: 'hello', protocolVersion: PROTOCOL_VERSION, extensionVersion: 'bench' });
  const elapsed = since(start);
  await host.close();
  return elapsed;
}

interface CloneSample {
  round: number;
  gitMs: number;
  /** clone request → answer on a host that has answered hello and the plan's requests (the extension's port is open by then). */
  companionMs: number;
  /** spawn → hello → plan → clone answered: the same clone when the port had to be opened for it. */
  companionColdMs: number;
}

/**
 * What the extension asks on the port before every clone (clone.start in
 * src/background/handlers/companion.ts): the configuration and the clones already there for the
 * plan, then the configuration again before it adds a root or host. A clone request never reaches
 * a host that has not answered these.
 */
async function plan(host: HostProcess): Promise<void> {
  await host.request('plan-configure', { type: 'configure' });
  await host.request('plan-clones', { type: 'localClones' });
  await host.request('configure', { type: 'configure' });
}

/**
 * The companion's start (to `hello`) against Node's own start, and a clone through the companion
 * against plain `git clone` of the same sandbox repository, interleaved.
 */
export async function runCompanion(repoRoot: string): Promise<BenchResult> {
  const bundle = join(repoRoot, 'dist/host/ado-companion-host.mjs');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build`);
  // npm run build makes the single executable for this machine when it can.
  const builtExecutable = join(repoRoot, 'dist/companion', `ado-companion-${process.platform === 'win32' ? 'win' : process.platform === 'darwin' ? 'macos' : 'linux'}-${process.arch}${process.platform === 'win32' ? '.exe' : ''}`);
  const executable = existsSync(builtExecutable) ? builtExecutable : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'bench-companion-'));
  const sandbox = await startSandbox({ quiet: true });
  try {
    const home = join(dir, 'home');
    await mkdir(home);
    // The environment a browser would pass on: a private HOME and companion folder, git pointed at the sandbox.
    const hostEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      ADO_COMPANION_HOME: join(dir, 'companion'),
      GIT_CONFIG_GLOBAL: sandbox.gitConfig,
      GIT_SSL_CAINFO: sandbox.caFile,
      GIT_CONFIG_NOSYSTEM: '1',
    };

    // Cold start: each round starts bare Node, the script and the executable once, in a rotating
    // order (so no side always goes first); one untimed round first. The figure is the median over
    // rounds of (ours − node) in the same round.
    const starters: Array<() => Promise<number>> = [nodeStartMs, () => helloMs(bundle, hostEnv), ...(executable ? [() => helloMs(executable, hostEnv)] : [])];
    for (const s of starters) await s();
    const starts: number[][] = starters.map(() => []);
    for (let i = 0; i < START_RUNS; i++) {
      for (let k = 0; k < starters.length; k++) {
        const which = (i + k) % starters.length;
        starts[which]!.push(await starters[which]!());
      }
    }
    const [nodeStarts, hellos, exeHellos] = starts as [number[], number[], number[] | undefined];

    // Clones. The PAT reaches git the way the companion passes it: http.extraHeader in the environment.
    const pat = sandbox.pats[REPO.org]!;
    const url = `https://${REPO.org}@dev.azure.com/${REPO.org}/${encodeURIComponent(REPO.project)}/_git/${encodeURIComponent(REPO.name)}`;
    const root = join(dir, 'roots');
    const plainDir = join(dir, 'plain');
    await mkdir(plainDir);
    const configure = HostProcess.start(bundle, hostEnv);
    await configure.request('configure', { type: 'configure', cloneRoots: [root] });
    await configure.close();
    const gitEnv: NodeJS.ProcessEnv = {
      ...hostEnv,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`:${pat}`).toString('base64')}`,
    };

    // What a clone holds, to check once that both sides made the same clone.
    const outcome = async (dest: string) => {
      const git = async (...args: string[]) => (await run('git', ['-C', dest, ...args], { env: hostEnv })).stdout.trim();
      return { head: await git('rev-parse', 'HEAD'), branch: await git('symbolic-ref', '--short', 'HEAD'), refs: await git('for-each-ref', '--format=%(refname) %(objectname)'), objects: await git('rev-list', '--all', '--objects', '--count'), clean: (await git('status', '--porcelain')) === '' };
    };
    const outcomes: unknown[] = [];
    // Timed by a shell, as a user runs it. Started and timed from this process, git paid for
    // Node forking the benchmark (tsx, the sandbox: ~120 MB; 7–9 ms here, the host's fork ~5): the
    // same clone took ~9 ms (~3 %) longer than bash's `time` says, which flattered the companion.
    // bash's `time` runs from its fork of git to git's exit; the companion's figure likewise starts
    // with a request to a host that is already running.
    const plainClone = async (n: number) => {
      const dest = join(plainDir, `c${n}`);
      const { stderr } = await run('bash', ['-c', 'TIMEFORMAT=%3R; time git clone --progress -- "$1" "$2"', 'bash', url, dest], { env: gitEnv, maxBuffer: 16 * 1024 * 1024 });
      const timed = /(\d+\.\d{3})\s*$/.exec(stderr);
      if (!timed) throw new Error(`bash did not report the clone's time: ${stderr.slice(-200)}`);
      const elapsed = Number(timed[1]) * 1000;
      if (n === 0) outcomes.push(await outcome(dest));
      await rm(dest, { recursive: true, force: true });
      return elapsed;
    };
    const companionClone = async (n: number) => {
      const folder = `c${n}`;
      const start = performance.now();
      const host = HostProcess.start(bundle, hostEnv);
      await host.request('hello', { type: 'hello', protocolVersion: PROTOCOL_VERSION, extensionVersion: 'bench' });
      await plan(host);
      const cloneStart = performance.now();
      await host.request('clone', { type: 'clone', url, root, folder, auth: { kind: 'pat', token: pat, orgUrl: `https://dev.azure.com/${REPO.org}` } });
      const warm = since(cloneStart);
      const cold = since(start);
      await host.close();
      if (n === 0) outcomes.push(await outcome(join(root, folder)));
      await rm(join(root, folder), { recursive: true, force: true });
      return { warm, cold };
    };

    await plainClone(0);
    await companionClone(0);
    if (JSON.stringify(outcomes[0]) !== JSON.stringify(outcomes[1])) throw new Error(`the companion's clone differs from plain git's: ${JSON.stringify(outcomes)}`);
    const clones: CloneSample[] = [];
    for (let round = 1; round <= CLONE_RUNS; round++) {
      let gitMs: number;
      let c: { warm: number; cold: number };
      if (round % 2) {
        gitMs = await plainClone(round);
        c = await companionClone(round);
      } else {
        c = await companionClone(round);
        gitMs = await plainClone(round);
      }
      clones.push({ round, gitMs, companionMs: c.warm, companionColdMs: c.cold });
    }

    const hello = median(hellos);
    const nodeStart = median(nodeStarts);
    const helloOver = median(hellos.map((h, i) => h - nodeStarts[i]!));
    const exeHello = exeHellos && median(exeHellos);
    const exeOver = exeHellos && median(exeHellos.map((h, i) => h - nodeStarts[i]!));
    const git = median(clones.map((c) => c.gitMs));
    const warm = median(clones.map((c) => c.companionMs));
    const cold = median(clones.map((c) => c.companionColdMs));
    const pairedWarm = median(clones.map((c) => c.companionMs / c.gitMs)) - 1;
    const pairedCold = median(clones.map((c) => c.companionColdMs / c.gitMs)) - 1;
    // The target counts as met only when the whole 95 % interval of the paired median is within it.
    const warmInterval = medianInterval(clones.map((c) => c.companionMs / c.gitMs - 1));
    // The same difference in ms: what the companion adds whatever the clone's size.
    const warmOver = clones.map((c) => c.companionMs - c.gitMs);
    const warmOverMs = median(warmOver);
    const warmOverInterval = medianInterval(warmOver);
    const startInterval = medianInterval(hellos.map((h, i) => h - nodeStarts[i]!));
    const exeInterval = exeHellos && medianInterval(exeHellos.map((h, i) => h - nodeStarts[i]!));

    return {
      name: 'companion',
      title: 'Companion: cold start and clone',
      rows: [
        { measure: `cold start, script: spawn → hello answered (median of ${START_RUNS})`, value: ms(hello), baseline: `${ms(nodeStart)} (node -e 0)`, ratio: `${times(hello / nodeStart)}; paired ${signed(helloOver)}${range(startInterval, signed)}`, target: `≤ node + ${START_OVER_NODE_TARGET_MS} ms`, met: helloOver <= START_OVER_NODE_TARGET_MS },
        exeHello === undefined || exeOver === undefined
          ? { measure: 'cold start, single executable', value: 'not built', target: `≤ node + ${START_OVER_NODE_TARGET_MS} ms` }
          : { measure: `cold start, single executable (median of ${START_RUNS})`, value: ms(exeHello), baseline: `${ms(nodeStart)} (node -e 0)`, ratio: `${times(exeHello / nodeStart)}; paired ${signed(exeOver)}${range(exeInterval, signed)}`, target: `≤ node + ${START_OVER_NODE_TARGET_MS} ms`, met: exeOver <= START_OVER_NODE_TARGET_MS },
        { measure: `clone ${REPO.project}/${REPO.name}: companion, port open (median of ${CLONE_RUNS})`, value: ms(warm), baseline: `${ms(git)} (git clone)`, ratio: `${times(warm / git)}; paired ${percent(pairedWarm)}${range(warmInterval, percent)}`, target: '≤ +2 % over git (whole CI)', met: warmInterval ? warmInterval[1] <= CLONE_OVERHEAD_TARGET : undefined },
        { measure: 'clone, port open: companion − git, paired (ms)', value: signed(warmOverMs), ratio: range(warmOverInterval, signed).trim() },
        { measure: 'clone incl. starting the companion (spawn → hello → plan → clone)', value: ms(cold), baseline: `${ms(git)} (git clone)`, ratio: `${times(cold / git)}; paired ${percent(pairedCold)}` },
      ],
      notes: [
        `Cold start: the built host, as the script (dist/host/ado-companion-host.mjs under this node) and as the single executable (dist/companion/, when npm run build made one), is spawned with a private ADO_COMPANION_HOME and sent a hello frame at once; the time runs from spawn to the complete answer frame (the host runs \`git --version\` for it). Baseline: \`node -e 0\` from spawn to exit, Node's own start on this machine. ${START_RUNS} rounds, each starting all of them once in a rotating order, after one untimed round; the difference is the median over rounds of (ours − node) within a round, so load that changes between rounds cancels out; the 95 % interval of that median is shown too.`,
        `Clone: the same repository (${REPO.org}/${REPO.project}/${REPO.name}, the sandbox's richest history) over HTTPS from the sandbox with a PAT, ${CLONE_RUNS} runs of each, interleaved with alternating order after an untimed warm-up. Plain: \`git clone --progress -- URL DEST\` with the PAT as http.extraHeader in the environment, timed by bash's \`time\` (from bash's fork of git to its exit; started and timed from this large process, the same clone took ~9 ms longer). Companion: a clone request with \`auth: {kind: "pat", orgUrl}\` (as the extension sends it) to a host that has answered hello and the requests the extension sends on the port before every clone (configure, localClones, configure), timed from request to answer; it runs the same git command (plus its safety settings), parses progress, and keeps its lock, crash journal and clone registry. The overhead is the median over rounds of companion ÷ git − 1 (paired, so drift between rounds cancels out), with a distribution-free 95 % interval for that median (sign-test order statistics); the 2 % target counts as met only when the whole interval is within it. The row that includes starting the companion (spawn → hello → those requests → clone) has no target (the start has its own).`,
        'The sandbox (git http-backend) runs in the benchmark\'s own process, so its work is part of both sides equally.',
      ],
      data: { warmOverMs, startRuns: START_RUNS, hellosMs: hellos, exeHellosMs: exeHellos, executable, nodeStartsMs: nodeStarts, hello, nodeStart, helloOver, exeHello, exeOver, cloneRuns: CLONE_RUNS, repo: REPO, clones, git, warm, cold, pairedWarm, pairedCold },
    };
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}
