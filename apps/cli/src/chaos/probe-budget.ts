import type { InvariantResult } from './chaos-invariants.ts';

/** The fields of a Kubernetes probe that decide when it gives up; absent ones take the API's defaults. */
export interface ProbeSpec {
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly failureThreshold?: number;
  readonly timeoutSeconds?: number;
}

export interface ContainerProbes {
  /** `Kind/namespace/name`. */
  readonly workload: string;
  readonly container: string;
  readonly image: string;
  readonly startupProbe?: ProbeSpec;
  readonly livenessProbe?: ProbeSpec;
}

/** Kubernetes' defaults for a probe's timing (core/v1 Probe). */
const DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1 } as const;

/**
 * How long a container may take to answer its first probe before the kubelet kills it.
 * The startup probe, when there is one, holds liveness off until it succeeds; the kubelet
 * restarts the container after `failureThreshold` failures in a row. Counted from the
 * container's start: the first probe at `initialDelaySeconds`, then one every
 * `periodSeconds`, so the last one that may still succeed starts at
 * `initialDelaySeconds + (failureThreshold - 1) × periodSeconds` and has `timeoutSeconds`
 * to answer. (The looser `initialDelaySeconds + failureThreshold × periodSeconds` is one
 * period too generous.)
 */
export const startupBudgetSeconds = (probes: Pick<ContainerProbes, 'startupProbe' | 'livenessProbe'>): number => {
  const probe = probes.startupProbe ?? probes.livenessProbe;
  if (probe === undefined) return Number.POSITIVE_INFINITY; // nothing restarts a slow starter
  const p = { ...DEFAULTS, ...probe };
  return p.initialDelaySeconds + (p.failureThreshold - 1) * p.periodSeconds + p.timeoutSeconds;
};

interface K8sObject {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: {
    readonly template?: {
      readonly spec?: { readonly containers?: readonly (ProbeSpecs & { name?: string; image?: string })[] };
    };
  };
}
interface ProbeSpecs {
  readonly startupProbe?: ProbeSpec;
  readonly livenessProbe?: ProbeSpec;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** Every container of every workload in rendered manifests, with its start-up probes. */
export const containerProbes = (objects: readonly unknown[]): ContainerProbes[] =>
  (objects as readonly K8sObject[]).flatMap((object) => {
    if (!WORKLOAD_KINDS.has(object.kind ?? '')) return [];
    const workload = `${object.kind}/${object.metadata?.namespace ?? 'default'}/${object.metadata?.name ?? '?'}`;
    return (object.spec?.template?.spec?.containers ?? []).map((container) => ({
      workload,
      container: container.name ?? '?',
      image: container.image ?? '',
      ...(container.startupProbe === undefined ? {} : { startupProbe: container.startupProbe }),
      ...(container.livenessProbe === undefined ? {} : { livenessProbe: container.livenessProbe }),
    }));
  });

export interface MeasuredStart {
  /** Which manifests' containers this start stands for: an image name such as `memelab-api`. */
  readonly image: string;
  /** Seconds from `podman run` to the first 200 from /healthz, what the start-up probe asks. */
  readonly healthySeconds: number;
  /** Seconds to the first 200 from /readyz (readiness only holds traffic back; it never restarts). */
  readonly readySeconds: number;
}

/**
 * Each measured start against every container that runs its image: the probe's budget must
 * be at least `margin` times the measured time to healthy, else the kubelet would restart
 * a pod that was only slow. A measured image that no manifest runs is a failure too, so a
 * renamed image cannot pass by matching nothing.
 */
export const judgeStartBudgets = (
  measured: readonly MeasuredStart[],
  containers: readonly ContainerProbes[],
  margin: number,
): InvariantResult[] =>
  measured.map((start) => {
    const matching = containers.filter((container) => imageName(container.image) === start.image);
    if (matching.length === 0) {
      return { name: `${start.image} start-up probe budget`, passed: false, detail: 'no container runs this image' };
    }
    const budgets = matching.map((container) => ({ container, budget: startupBudgetSeconds(container) }));
    const tightest = budgets.reduce((a, b) => (b.budget < a.budget ? b : a));
    const needed = start.healthySeconds * margin;
    return {
      name: `${start.image} start-up probe budget ≥ ${margin}× the measured start`,
      passed: tightest.budget >= needed,
      detail:
        `healthy after ${start.healthySeconds.toFixed(1)} s (ready after ${start.readySeconds.toFixed(1)} s); ` +
        `tightest budget ${tightest.budget} s (${tightest.container.workload} ${tightest.container.container}), ` +
        `${needed.toFixed(1)} s needed; ${matching.length} container(s) checked`,
    };
  });

/** `ghcr.io/memelab/memelab-api:0.1.0` → `memelab-api`. */
export const imageName = (reference: string): string => {
  const withoutDigest = reference.split('@')[0] ?? '';
  const last = withoutDigest.split('/').at(-1) ?? '';
  return last.split(':')[0] ?? '';
};

/**
 * A CPU limit as the cgroup states it, quota then period in µs (`10000 100000` → 0.1 of a core);
 * undefined when unlimited (`max`, `-1`) or unreadable.
 */
export const cpuShare = (cpuMax: string): number | undefined => {
  const [quota, period] = cpuMax.split(' ').map(Number);
  return quota === undefined || period === undefined || !Number.isFinite(quota) || quota < 0 || !(period > 0)
    ? undefined
    : quota / period;
};
