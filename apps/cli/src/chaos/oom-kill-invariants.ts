import type { InvariantResult } from './chaos-invariants.ts';

/** One reading of `podman inspect` of the worker container. */
export interface ContainerState {
  readonly at: number;
  readonly status: string;
  readonly exitCode: number;
  readonly oomKilled: boolean;
  readonly restartCount: number;
}

export interface OomObservation {
  /** The huge meme's final state from the API. */
  readonly huge: { readonly status: string; readonly failureReason: string | null };
  /** The reasons on the dead-letter queue's messages. */
  readonly deadLetterReasons: readonly string[];
  /** Exit codes of the container's `died` events in podman's event log, in order. */
  readonly diedExitCodes: readonly number[];
  /** podman's `oom` events for the container (the conmon of some set-ups reports none). */
  readonly oomEvents: number;
  /** Every change of the container's state seen while the experiment ran (polled: short stops can be missed). */
  readonly states: readonly ContainerState[];
  /** OOM kills of the container in the kernel's log; undefined when the log cannot be read. */
  readonly kernelOomKills: number | undefined;
  /** Restarts the experiment had to make itself because the restart policy did not. */
  readonly manualRestarts: number;
  /** The ordinary memes sent around the huge one, by final status. */
  readonly others: Readonly<Record<string, number>>;
  readonly othersSent: number;
  readonly workerReadyAtEnd: boolean;
}

/**
 * OOM kills the kernel logged for one container's memory cgroup (`dmesg`): each kill has an
 * `oom-kill:` line naming the cgroup, which podman names after the container's id.
 */
export const kernelOomKills = (kernelLog: string, containerId: string): number =>
  kernelLog.split('\n').filter((line) => line.includes('oom-kill:') && line.includes(`libpod-${containerId}`)).length;

/**
 * The OOM experiment's invariants: the kernel's kill is visible (OOMKilled, exit 137), the
 * container comes back, the job that caused it ends failed with a reason and on the
 * dead-letter queue instead of killing workers forever, and every other meme is rendered.
 */
export const judgeOomRun = (o: OomObservation): InvariantResult[] => {
  const killed = o.diedExitCodes.filter((code) => code === 137).length;
  const flagged = o.states.some((state) => state.oomKilled);
  const last = o.states.at(-1);
  const restarts = Math.max(0, ...o.states.map((state) => state.restartCount)) + o.manualRestarts;
  const done = o.others.done ?? 0;
  return [
    {
      // Exit 137 alone is any SIGKILL; the kernel's log (where readable) says it was the OOM killer.
      name: 'the OOM kill is visible (exit 137 or OOMKilled, and the kernel log)',
      passed: (killed > 0 || o.oomEvents > 0 || flagged) && (o.kernelOomKills === undefined || o.kernelOomKills > 0),
      detail:
        `podman: ${o.diedExitCodes.length} death(s), ${killed} by exit 137, ${o.oomEvents} oom event(s), ` +
        `OOMKilled flag ${flagged ? 'set' : 'never set'}; ` +
        (o.kernelOomKills === undefined
          ? 'kernel log not readable'
          : `kernel logged ${o.kernelOomKills} OOM kill(s) in the container's memory cgroup`),
    },
    {
      name: 'the container restarts and the worker is ready again',
      passed: restarts > 0 && last?.status === 'running' && o.workerReadyAtEnd,
      detail:
        `${restarts} restart(s)${o.manualRestarts > 0 ? ` (${o.manualRestarts} by the experiment)` : ' by podman'}; ` +
        `${last?.status ?? 'no state'} at the end, ${o.workerReadyAtEnd ? 'ready' : 'not ready'}`,
    },
    {
      name: 'the huge render fails with a reason',
      passed: o.huge.status === 'failed' && (o.huge.failureReason ?? '') !== '',
      detail: `${o.huge.status}: ${o.huge.failureReason ?? 'no reason'}`,
    },
    {
      name: 'its job is dead-lettered with a reason',
      passed: o.deadLetterReasons.length === 1 && o.deadLetterReasons.every((reason) => reason !== ''),
      detail: `${o.deadLetterReasons.length} dead letter(s): ${o.deadLetterReasons.join('; ') || 'none'}`,
    },
    {
      name: 'nothing else is lost',
      passed: o.othersSent > 0 && done === o.othersSent,
      detail: `${done} of ${o.othersSent} other memes done; ${JSON.stringify(o.others)}`,
    },
  ];
};
