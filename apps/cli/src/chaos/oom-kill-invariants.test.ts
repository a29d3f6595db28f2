import { describe, expect, it } from 'vitest';
import {
  type ContainerState,
  judgeOomRun,
  kernelOomKills,
  type OomObservation,
  oomExitsSeen,
} from './oom-kill-invariants.ts';

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

const crashLoop = [
  state(0, 'running', 0, false, 0),
  state(1, 'exited', 137, true, 0),
  state(2, 'running', 137, true, 1),
  state(3, 'exited', 137, true, 1),
  state(4, 'running', 137, true, 2),
];

const healthy: OomObservation = {
  huge: { status: 'failed', failureReason: 'gave up after 3 attempts' },
  deadLetterReasons: ['gave up after 3 attempts'],
  states: crashLoop,
  kernelOomKills: 2,
  manualRestarts: 0,
  others: { done: 8 },
  othersSent: 8,
  workerReadyAtEnd: true,
};

const failing = (observation: OomObservation) =>
  judgeOomRun(observation)
    .filter((result) => !result.passed)
    .map((result) => result.name);

describe('oomExitsSeen', () => {
  it('counts stopped states that show exit 137 or the OOMKilled flag', () => {
    expect(oomExitsSeen(crashLoop)).toBe(2);
    expect(oomExitsSeen([state(0, 'stopped', 137, false, 1)])).toBe(1);
  });

  it('does not count a clean exit, a crash of another kind, or a running container', () => {
    expect(oomExitsSeen([state(1, 'exited', 1, false, 0), state(2, 'exited', 0, false, 0)])).toBe(0);
    expect(oomExitsSeen([state(2, 'running', 137, false, 1)])).toBe(0);
  });
});

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

  it('fails when no OOM kill was seen', () => {
    expect(failing({ ...healthy, states: [state(0, 'running', 0, false, 0)] })).toEqual([
      'the OOM kill is visible (exit 137 or OOMKilled, and the kernel log)',
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
