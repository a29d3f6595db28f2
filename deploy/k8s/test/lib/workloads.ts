import type { K8sObject } from './render.ts';

// biome-ignore lint/suspicious/noExplicitAny: pod specs are read field by field.
export type PodSpec = any;
// biome-ignore lint/suspicious/noExplicitAny: containers are read field by field.
export type Container = any;

/** A pod template in the rendered output, with what the rules need to know about it. */
export interface Workload {
  readonly object: K8sObject;
  readonly namespace: string;
  readonly name: string;
  readonly podLabels: Record<string, string>;
  readonly podSpec: PodSpec;
  /** Keeps running (Deployment, StatefulSet, DaemonSet) rather than running to completion. */
  readonly longRunning: boolean;
  /** Replicas at the low end (the Deployment's count, or its autoscaler's minimum) and the high end. */
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly autoscaled: boolean;
}

const templateOf = (
  object: K8sObject,
): { metadata?: { labels?: Record<string, string> }; spec: PodSpec } | undefined => {
  switch (object.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return object.spec?.template;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template;
    case 'Pod':
      return { metadata: object.metadata, spec: object.spec };
    default:
      return undefined;
  }
};

export const workloadsOf = (objects: readonly K8sObject[]): Workload[] => {
  const scalers = objects.flatMap((object) => {
    if (object.kind === 'HorizontalPodAutoscaler') {
      return [
        {
          namespace: object.metadata.namespace,
          target: object.spec.scaleTargetRef,
          min: object.spec.minReplicas ?? 1,
          max: object.spec.maxReplicas,
        },
      ];
    }
    if (object.kind === 'ScaledObject') {
      return [
        {
          namespace: object.metadata.namespace,
          target: object.spec.scaleTargetRef,
          min: object.spec.minReplicaCount ?? 0,
          max: object.spec.maxReplicaCount ?? 100,
        },
      ];
    }
    return [];
  });
  return objects.flatMap((object) => {
    const template = templateOf(object);
    if (template === undefined) return [];
    const namespace = object.metadata.namespace ?? 'default';
    const scaler = scalers.find(
      (candidate) =>
        candidate.namespace === namespace &&
        (candidate.target?.kind ?? 'Deployment') === object.kind &&
        candidate.target?.name === object.metadata.name,
    );
    const replicas = object.kind === 'Deployment' || object.kind === 'StatefulSet' ? (object.spec.replicas ?? 1) : 1;
    return [
      {
        object,
        namespace,
        name: object.metadata.name ?? object.metadata.generateName ?? '',
        podLabels: template.metadata?.labels ?? {},
        podSpec: template.spec,
        longRunning: ['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind),
        minReplicas: scaler?.min ?? replicas,
        maxReplicas: scaler?.max ?? replicas,
        autoscaled: scaler !== undefined,
      },
    ];
  });
};

export const containersOf = (workload: Workload): Container[] => [
  ...(workload.podSpec.initContainers ?? []),
  ...(workload.podSpec.containers ?? []),
];

/** Resolves a probe's or Service's port (a name or a number) against a container's ports. */
export const containerHasPort = (containers: readonly Container[], port: string | number): boolean =>
  containers.some((container) =>
    (container.ports ?? []).some((declared: { name?: string; containerPort: number }) =>
      typeof port === 'number' ? declared.containerPort === port : declared.name === port,
    ),
  );
