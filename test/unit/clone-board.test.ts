import { describe, expect, it } from 'vitest';
import { createCloneBoard, FINISHED_KEPT_MS } from '../../src/background/clone-board';
import type { CloneData } from '../../src/shared/host-protocol';
import type { CloneProgress } from '../../src/shared/messages';

const repo = { id: 'r1', name: 'Platform', project: 'Platform' };
const data: CloneData = { path: '/src/Platform', branch: 'main', remoteUrl: 'https://dev.azure.com/fabrikam/Platform/_git/Platform' };

const ignore = () => undefined;

/** A clone whose progress and end the test decides. */
function controlled() {
  let progress: (p: CloneProgress) => void = ignore;
  let finish: (d: CloneData) => void = ignore;
  let fail: (e: unknown) => void = ignore;
  const work = (p: (p: CloneProgress) => void) =>
    new Promise<CloneData>((resolve, reject) => {
      progress = p;
      finish = resolve;
      fail = reject;
    });
  return { work, progress: (p: CloneProgress) => progress(p), finish: (d: CloneData) => finish(d), fail: (e: unknown) => fail(e) };
}

describe('the clone board', () => {
  it('lists a running clone with its latest progress; a follower sees the progress, then the answer', async () => {
    const board = createCloneBoard();
    const clone = controlled();
    const started = board.run({ taskId: 't', profileId: 'p', repo }, clone.work);
    clone.progress({ phase: 'receiving', percent: 40 });
    expect(board.list()).toEqual([expect.objectContaining({ taskId: 't', profileId: 'p', repo, state: 'running', progress: { phase: 'receiving', percent: 40 } })]);

    const seen: CloneProgress[] = [];
    const followed = board.follow('t', 'clone', (p) => seen.push(p));
    clone.progress({ phase: 'resolving', percent: 80 });
    clone.finish(data);
    expect(await followed).toEqual(data);
    expect(await started).toEqual(data);
    // The progress so far at once, then each step.
    expect(seen).toEqual([{ phase: 'receiving', percent: 40 }, { phase: 'resolving', percent: 80 }]);
    expect(board.list()).toEqual([expect.objectContaining({ taskId: 't', state: 'done', result: data })]);
  });

  it('keeps how a clone failed, and tells a cancel apart from a failure', async () => {
    const board = createCloneBoard();
    const failing = controlled();
    const cancelled = controlled();
    const error = Object.assign(new Error('Azure DevOps refused the token.'), { code: 'AUTH_FAILED' });
    const a = board.run({ taskId: 'a', repo }, failing.work);
    const b = board.run({ taskId: 'b', repo }, cancelled.work);
    failing.fail(error);
    cancelled.fail(Object.assign(new Error('Cancelled.'), { code: 'CANCELLED' }));
    await expect(a).rejects.toBe(error);
    await expect(b).rejects.toThrow('Cancelled.');
    expect(board.list().map((e) => [e.taskId, e.state])).toEqual([['a', 'failed'], ['b', 'cancelled']]);
    // A popup opened later is told the same failure.
    await expect(board.follow('a', 'clone', ignore)).rejects.toBe(error);
  });

  it('forgets a finished clone when dismissed or after a while, never a running one', async () => {
    let now = 1_000;
    const board = createCloneBoard(() => now);
    const running = controlled();
    void board.run({ taskId: 'running', repo }, running.work);
    await board.run({ taskId: 'early', repo }, async () => data);
    await board.run({ taskId: 'dismissed', repo }, async () => data);
    board.forget('dismissed');
    board.forget('running');
    expect(board.list().map((e) => e.taskId)).toEqual(['running', 'early']);
    now += FINISHED_KEPT_MS + 1;
    expect(board.list().map((e) => e.taskId)).toEqual(['running']);
    await expect(board.follow('early', 'clone', ignore)).rejects.toMatchObject({ code: 'TASK_GONE' });
  });
});
