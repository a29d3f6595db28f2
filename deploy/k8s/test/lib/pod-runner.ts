/**
 * Runs a rendered pod template's container with podman, translating what the kubelet
 * would do: the environment (envFrom, secretKeyRef, configMapKeyRef, fieldRef and $(VAR)
 * expansion, in the kubelet's order), the security context (user and group, supplemental
 * fsGroup, read-only root filesystem with no extra writable paths, dropped capabilities,
 * no_new_privs, the default seccomp profile), emptyDirs (bounded tmpfs mounts), the memory
 * and CPU limits, the ports and args.
 *
 * Written rather than `podman kube play` because podman 4.3 (Debian 12) does not know the
 * preStop `sleep` action or $(VAR) expansion and reads Secrets from its own store: the
 * translation keeps everything else of the spec as it is, and says here what it maps.
 */
import type { Container, Workload } from './workloads.ts';

export interface PodResources {
  /** ConfigMaps and Secrets of the pod's namespace, by name: key -> value. */
  readonly configMaps: ReadonlyMap<string, Record<string, string>>;
  readonly secrets: ReadonlyMap<string, Record<string, string>>;
}

/** The container's environment as the kubelet builds it. */
export const resolveEnv = (
  workload: Workload,
  container: Container,
  resources: PodResources,
): Record<string, string> => {
  const env: Record<string, string> = {};
  const lookup = (kind: 'configMaps' | 'secrets', name: string, key: string, optional: boolean): string | undefined => {
    const value = resources[kind].get(name)?.[key];
    if (value === undefined && !optional) throw new Error(`${workload.name}: ${kind} ${name} has no key ${key}`);
    return value;
  };
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const data = (source.configMapRef ? resources.configMaps : resources.secrets).get(ref.name);
    if (data === undefined && ref.optional !== true) throw new Error(`${workload.name}: no ${ref.name} for envFrom`);
    Object.assign(env, data ?? {});
  }
  // $(NAME) refers to a variable defined before it (envFrom first, then env in order);
  // $$ escapes a dollar sign; an unknown reference stays as written.
  const expand = (value: string): string =>
    value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name?: string) =>
      match === '$$' ? '$' : name !== undefined && env[name] !== undefined ? (env[name] as string) : match,
    );
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) {
      env[variable.name] = expand(variable.value);
      continue;
    }
    const from = variable.valueFrom ?? {};
    let value: string | undefined;
    if (from.secretKeyRef)
      value = lookup('secrets', from.secretKeyRef.name, from.secretKeyRef.key, from.secretKeyRef.optional === true);
    else if (from.configMapKeyRef)
      value = lookup(
        'configMaps',
        from.configMapKeyRef.name,
        from.configMapKeyRef.key,
        from.configMapKeyRef.optional === true,
      );
    else if (from.fieldRef?.fieldPath === 'metadata.name') value = `${workload.name}-0`;
    else if (from.fieldRef?.fieldPath === 'metadata.namespace') value = workload.namespace;
    else throw new Error(`${workload.name}: env ${variable.name} has a source this runner does not map`);
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
};

const BYTES: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1e3, M: 1e6, G: 1e9 };
export const quantityBytes = (quantity: string): number => {
  const match = /^(\d+(?:\.\d+)?)([KMG]i?|k)?$/.exec(quantity);
  if (match === null) throw new Error(`quantity ${quantity}`);
  return Math.round(Number(match[1]) * (match[2] ? (BYTES[match[2]] ?? 1) : 1));
};
export const quantityCpus = (quantity: string | number): number =>
  typeof quantity === 'number'
    ? quantity
    : quantity.endsWith('m')
      ? Number(quantity.slice(0, -1)) / 1000
      : Number(quantity);

export interface RunOptions {
  readonly name: string;
  readonly image: string;
  readonly network: string;
  readonly aliases?: readonly string[];
  readonly env: Record<string, string>;
}

/** `podman run` arguments for one container of a pod template. */
export const podmanRunArgs = (workload: Workload, container: Container, options: RunOptions): string[] => {
  const pod = workload.podSpec.securityContext ?? {};
  const security = { ...pod, ...container.securityContext };
  if (security.runAsNonRoot !== true || security.runAsUser === undefined || security.runAsUser === 0) {
    throw new Error(`${workload.name}: not a non-root pod`);
  }
  const args = [
    'run',
    '--detach',
    '--name',
    options.name,
    '--hostname',
    `${workload.name}-0`,
    '--network',
    options.network,
  ];
  for (const alias of options.aliases ?? []) args.push('--network-alias', alias);
  args.push('--user', `${security.runAsUser}:${security.runAsGroup ?? security.runAsUser}`);
  if (pod.fsGroup !== undefined) args.push('--group-add', String(pod.fsGroup));
  if (security.readOnlyRootFilesystem === true) args.push('--read-only', '--read-only-tmpfs=false');
  for (const capability of security.capabilities?.drop ?? []) args.push(`--cap-drop=${capability}`);
  for (const capability of security.capabilities?.add ?? []) args.push(`--cap-add=${capability}`);
  if (security.allowPrivilegeEscalation === false) args.push('--security-opt=no-new-privileges');
  if (security.seccompProfile?.type === 'Unconfined') args.push('--security-opt=seccomp=unconfined');
  const volumes = new Map<string, { emptyDir?: { sizeLimit?: string } }>(
    (workload.podSpec.volumes ?? []).map((volume: { name: string }) => [volume.name, volume]),
  );
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes.get(mount.name);
    if (volume?.emptyDir === undefined) throw new Error(`${workload.name}: volume ${mount.name} is not an emptyDir`);
    const size =
      volume.emptyDir.sizeLimit === undefined ? '' : `,tmpfs-size=${quantityBytes(volume.emptyDir.sizeLimit)}`;
    args.push('--mount', `type=tmpfs,destination=${mount.mountPath},tmpfs-mode=1777${size}`);
  }
  const limits = container.resources?.limits ?? {};
  if (limits.memory !== undefined) args.push('--memory', String(quantityBytes(limits.memory)));
  if (limits.cpu !== undefined) args.push('--cpus', String(quantityCpus(limits.cpu)));
  for (const port of container.ports ?? []) args.push('--publish', `127.0.0.1::${port.containerPort}`);
  args.push('--stop-timeout', String(workload.podSpec.terminationGracePeriodSeconds ?? 30));
  for (const [key, value] of Object.entries(options.env)) args.push('--env', `${key}=${value}`);
  if (container.command !== undefined) args.push('--entrypoint', JSON.stringify(container.command));
  args.push(options.image, ...(container.args ?? []));
  return args;
};
