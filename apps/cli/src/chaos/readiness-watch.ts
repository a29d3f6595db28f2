/**
 * Polls a `/readyz` endpoint as a Kubernetes readiness probe would (a timeout per poll,
 * not ready after `failureThreshold` failures in a row, ready again after one success) and
 * keeps every change, so an experiment can show that readiness went false while a
 * dependency was broken and came back after. One slow answer on a busy machine is not an
 * outage, as it is not for the kubelet.
 */
export interface ReadinessChange {
  /** performance.now() time of the first poll that saw the new state. */
  readonly at: number;
  readonly ready: boolean;
}

export interface ReadinessWatch {
  readonly changes: readonly ReadinessChange[];
  /** The state at a time, from the changes seen (undefined before the first poll). */
  stateAt(at: number): boolean | undefined;
  stop(): void;
}

export interface ProbeSettings {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly failureThreshold: number;
}

const PROBE: ProbeSettings = { intervalMs: 250, timeoutMs: 2000, failureThreshold: 3 };

export const watchReadiness = (url: () => string, probe: ProbeSettings = PROBE): ReadinessWatch => {
  const changes: ReadinessChange[] = [];
  let stopped = false;
  let failures = 0;
  let firstFailureAt = 0;
  const poll = async () => {
    while (!stopped) {
      const at = performance.now();
      let passed = false;
      try {
        const response = await fetch(url(), { signal: AbortSignal.timeout(probe.timeoutMs) });
        passed = response.status === 200;
        await response.body?.cancel();
      } catch {
        passed = false; // not answering is not ready
      }
      if (passed) failures = 0;
      else if (failures++ === 0) firstFailureAt = at;
      const ready = passed || (failures < probe.failureThreshold && changes.at(-1)?.ready !== false);
      // A drop is dated from the first failed poll of the run of failures that caused it.
      if (changes.at(-1)?.ready !== ready) changes.push({ at: ready ? at : firstFailureAt, ready });
      await new Promise((resolve) => setTimeout(resolve, probe.intervalMs));
    }
  };
  void poll();
  return {
    changes,
    stateAt: (at) => changes.filter((change) => change.at <= at).at(-1)?.ready,
    stop: () => {
      stopped = true;
    },
  };
};

/** The first time at or after `from` when the endpoint was ready again. */
export const readyAgainAt = (changes: readonly ReadinessChange[], from: number): number | undefined => {
  const before = changes.filter((change) => change.at <= from).at(-1);
  if (before?.ready === true) return from;
  return changes.find((change) => change.at > from && change.ready)?.at;
};
