import { describe, expect, it } from 'vitest';
import { type ContainerState, judgeOomRun, kernelOomKills, type OomObservation } from './oom-kill-invariants.ts';

const state = (
  at: number,
  status: string,
  exitCode: number,
  oomKilled: boolean,
  restartCount: number,
): ContainerState => ({
  at,
  status,
  exitCode,
  oomKilled,
  restartCount,
});

// As podman 4 with runc on cgroup v1 shows it: exit 137, the OOMKilled flag never set.
const crashLoop = [
  state(0, 'running', 0, false, 0),
  state(1, 'exited', 137, false, 0),
  state(2, 'running', 0, false, 1),
  state(3, 'exited', 137, false, 1),
  state(4, 'running', 0, false, 2),
];

const healthy: OomObservation = {
  huge: { status: 'failed', failureReason: 'gave up after 3 attempts' },
  deadLetterReasons: ['gave up after 3 attempts'],
  diedExitCodes: [137, 137, 137],
  oomEvents: 0,
  states: crashLoop,
  kernelOomKills: 3,
  manualRestarts: 0,
  others: { done: 8 },
  othersSent: 8,
  workerReadyAtEnd: true,
};

const failing = (observation: OomObservation) =>
  judgeOomRun(observation)
    .filter((result) => !result.passed)
    .map((result) => result.name);

describe('kernelOomKills', () => {
  const line = (id: string) =>
    `[ 4377.1] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=libpod-${id},mems_allowed=0,oom_memcg=/libpod_parent/libpod-${id},task_memcg=/libpod_parent/libpod-${id},task=node,pid=14738,uid=10001`;

  it("counts the kills in this container's cgroup only", () => {
    const log = [
      line('abc'),
      '[ 4377.2] Memory cgroup out of memory: Killed process 14738 (node)',
      line('def'),
      line('abc'),
    ].join('\n');
    expect(kernelOomKills(log, 'abc')).toBe(2);
    expect(kernelOomKills(log, 'fed')).toBe(0);
  });
});

describe('judgeOomRun', () => {
  it('passes a kill, a restart, a dead letter with a reason and every other meme done', () => {
    expect(failing(healthy)).toEqual([]);
  });

  it('fails when podman saw no death by exit 137 or OOM, whatever the kernel says', () => {
    expect(failing({ ...healthy, diedExitCodes: [1] })).toEqual([
      'the OOM kill is visible (exit 137 or OOMKilled, and the kernel log)',
    ]);
    expect(failing({ ...healthy, diedExitCodes: [] })).toEqual([
      'the OOM kill is visible (exit 137 or OOMKilled, and the kernel log)',
    ]);
  });

  it("takes podman's oom event or OOMKilled flag where the exit code says otherwise", () => {
    expect(failing({ ...healthy, diedExitCodes: [], oomEvents: 1 })).toEqual([]);
    expect(failing({ ...healthy, diedExitCodes: [], states: [...crashLoop, state(5, 'stopped', 0, true, 2)] })).toEqual(
      ['the container restarts and the worker is ready again'],
    );
  });

  it('fails when the container never restarted', () => {
    expect(failing({ ...healthy, states: [state(0, 'running', 0, false, 0)] })).toEqual([
      'the container restarts and the worker is ready again',
    ]);
  });

  it('fails an exit 137 the kernel does not call an OOM kill, but trusts podman where the log is unreadable', () => {
    expect(failing({ ...healthy, kernelOomKills: 0 })).toEqual([
      'the OOM kill is visible (exit 137 or OOMKilled, and the kernel log)',
    ]);
    expect(failing({ ...healthy, kernelOomKills: undefined })).toEqual([]);
  });

  it('fails when the container stays down or the worker is not ready', () => {
    expect(failing({ ...healthy, states: crashLoop.slice(0, 4) })).toEqual([
      'the container restarts and the worker is ready again',
    ]);
    expect(failing({ ...healthy, workerReadyAtEnd: false })).toEqual([
      'the container restarts and the worker is ready again',
    ]);
  });

  it('fails when the huge meme did not fail with a reason, or was rendered', () => {
    expect(failing({ ...healthy, huge: { status: 'failed', failureReason: null } })).toEqual([
      'the huge render fails with a reason',
    ]);
    expect(failing({ ...healthy, huge: { status: 'done', failureReason: null } })).toEqual([
      'the huge render fails with a reason',
    ]);
  });

  it('fails without exactly one dead letter carrying a reason', () => {
    expect(failing({ ...healthy, deadLetterReasons: [] })).toEqual(['its job is dead-lettered with a reason']);
    expect(failing({ ...healthy, deadLetterReasons: [''] })).toEqual(['its job is dead-lettered with a reason']);
  });

  it('fails when another meme is not done', () => {
    expect(failing({ ...healthy, others: { done: 7, failed: 1 } })).toEqual(['nothing else is lost']);
    expect(failing({ ...healthy, others: { done: 7, queued: 1 } })).toEqual(['nothing else is lost']);
  });
});
