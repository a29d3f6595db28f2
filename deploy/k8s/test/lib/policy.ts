/**
 * The policy rules every rendered overlay must pass: the union of the default checks of
 * kube-score, kube-linter and Polaris and the Pod Security `restricted` profile, plus the
 * platform's own (selectors that match, probe ports that exist, drains that are not
 * blocked). None of those tools can be installed on these machines (they are Go binaries
 * fetched from GitHub releases), so their checks are written here as code, each naming
 * the checks it stands for; docs/kubernetes.md lists them with the reason for each.
 *
 * Each rule has `breaks`, a change to a rendered overlay that the rule must catch: the
 * suite applies it and expects a violation, so no rule can pass by being unable to fail.
 */
import type { K8sObject } from './render.ts';
import { type LabelSelector, selectorMatches, serviceSelects } from './selectors.ts';
import { type Container, containerHasPort, containersOf, type Workload, workloadsOf } from './workloads.ts';

export interface Rule {
  readonly id: string;
  /** The checks of kube-score, kube-linter, Polaris and Pod Security this rule enforces. */
  readonly covers: readonly string[];
  readonly why: string;
  check(context: PolicyContext): string[];
  /** Makes a compliant set of objects violate this rule (the failing fixture). */
  breaks(objects: K8sObject[]): void;
}

export interface PolicyContext {
  readonly objects: readonly K8sObject[];
  readonly workloads: readonly Workload[];
  /** Namespaces of the tenants (labelled part-of memelab or healthcare). */
  readonly tenantNamespaces: ReadonlySet<string>;
}

export const policyContext = (objects: readonly K8sObject[]): PolicyContext => ({
  objects,
  workloads: workloadsOf(objects),
  tenantNamespaces: new Set(
    objects.filter((object) => object.kind === 'Namespace').map((object) => object.metadata.name as string),
  ),
});

/** Namespaces outside the tenants that the tenants' policies name, with the labels their pods carry. */
export const PLATFORM_PEERS: Record<string, Record<string, string>[]> = {
  'kube-system': [{ 'k8s-app': 'kube-dns' }],
  'ingress-nginx': [{ 'app.kubernetes.io/name': 'ingress-nginx' }],
  monitoring: [{ 'app.kubernetes.io/name': 'prometheus' }],
  keda: [{ 'app.kubernetes.io/name': 'keda-operator' }],
};

const where = (workload: Workload, container?: Container): string =>
  `${workload.object.kind} ${workload.namespace}/${workload.name}${container ? ` container ${container.name}` : ''}`;
const named = (object: K8sObject): string =>
  `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;

const eachContainer = (
  context: PolicyContext,
  check: (container: Container, workload: Workload) => string | undefined,
): string[] =>
  context.workloads.flatMap((workload) =>
    containersOf(workload).flatMap((container) => {
      const problem = check(container, workload);
      return problem === undefined ? [] : [`${where(workload, container)}: ${problem}`];
    }),
  );

const eachWorkload = (context: PolicyContext, check: (workload: Workload) => string | undefined): string[] =>
  context.workloads.flatMap((workload) => {
    const problem = check(workload);
    return problem === undefined ? [] : [`${where(workload)}: ${problem}`];
  });

/** The effective value of a security setting: the container's, else the pod's. */
const effective = (container: Container, workload: Workload, key: string): unknown =>
  container.securityContext?.[key] ?? workload.podSpec.securityContext?.[key];

// --- helpers the failing fixtures use --------------------------------------------------

const find = (objects: K8sObject[], kind: string, name: string): K8sObject => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (found === undefined) throw new Error(`fixture: no ${kind} ${name}`);
  return found;
};
const apiPod = (objects: K8sObject[]) => find(objects, 'Deployment', 'api').spec.template.spec;
const apiContainer = (objects: K8sObject[]) => apiPod(objects).containers[0];

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const RESTRICTED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
const DEPRECATED_API_VERSIONS = [
  'extensions/v1beta1',
  'apps/v1beta1',
  'apps/v1beta2',
  'policy/v1beta1',
  'batch/v1beta1',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'networking.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta3',
];
const SENSITIVE_NAME = /pass(word)?|secret|token|api[_-]?key|credential|private[_-]?key|cookie/i;
const REQUIRED_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/component',
  'app.kubernetes.io/part-of',
];
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Disruptions a PodDisruptionBudget allows with `replicas` healthy pods. */
export const allowedDisruptions = (pdb: K8sObject, replicas: number): number => {
  const resolve = (value: number | string, roundUp: boolean): number => {
    if (typeof value === 'number') return value;
    const share = (Number.parseInt(value, 10) / 100) * replicas;
    return roundUp ? Math.ceil(share) : Math.floor(share);
  };
  if (pdb.spec.maxUnavailable !== undefined) return Math.min(replicas, resolve(pdb.spec.maxUnavailable, true));
  if (pdb.spec.minAvailable !== undefined) return Math.max(0, replicas - resolve(pdb.spec.minAvailable, true));
  return 0;
};

const policiesOf = (context: PolicyContext, namespace: string) =>
  context.objects.filter((object) => object.kind === 'NetworkPolicy' && object.metadata.namespace === namespace);
const policyTypes = (policy: K8sObject): string[] =>
  policy.spec.policyTypes ?? (policy.spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress']);

/** The pods a peer of a policy in `namespace` can mean, among the rendered and platform ones. */
const peerMatchesSomething = (
  context: PolicyContext,
  namespace: string,
  peer: { podSelector?: LabelSelector; namespaceSelector?: LabelSelector; ipBlock?: unknown },
): boolean => {
  if (peer.ipBlock !== undefined) return true;
  if (peer.namespaceSelector === undefined) {
    return context.workloads.some(
      (workload) => workload.namespace === namespace && selectorMatches(peer.podSelector ?? {}, workload.podLabels),
    );
  }
  const namespaces = [
    ...[...context.tenantNamespaces].filter((name) =>
      selectorMatches(peer.namespaceSelector, {
        'kubernetes.io/metadata.name': name,
        ...context.objects.find((object) => object.kind === 'Namespace' && object.metadata.name === name)?.metadata
          .labels,
      }),
    ),
    ...Object.keys(PLATFORM_PEERS).filter((name) =>
      selectorMatches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': name }),
    ),
  ];
  return namespaces.some((name) =>
    context.tenantNamespaces.has(name)
      ? context.workloads.some(
          (workload) => workload.namespace === name && selectorMatches(peer.podSelector ?? {}, workload.podLabels),
        )
      : (PLATFORM_PEERS[name] ?? []).some((labels) => selectorMatches(peer.podSelector ?? {}, labels)),
  );
};

export const RULES: readonly Rule[] = [
  // --- Pod Security Standards: restricted ----------------------------------------------
  {
    id: 'pss-host-namespaces',
    covers: [
      'Pod Security baseline: host namespaces',
      'kube-linter host-network, host-pid, host-ipc',
      'Polaris hostNetworkSet, hostPIDSet, hostIPCSet',
    ],
    why: 'A pod in the host network, PID or IPC namespace sees and can reach everything on its node.',
    check: (context) =>
      eachWorkload(context, ({ podSpec }) =>
        podSpec.hostNetwork || podSpec.hostPID || podSpec.hostIPC ? 'uses a host namespace' : undefined,
      ),
    breaks: (objects) => {
      apiPod(objects).hostNetwork = true;
    },
  },
  {
    id: 'pss-privileged',
    covers: [
      'Pod Security baseline: privileged containers',
      'kube-score container-security-context-privileged',
      'kube-linter privileged-container',
      'Polaris runAsPrivileged',
    ],
    why: 'A privileged container has every device and capability of the node: one escape is the node.',
    check: (context) =>
      eachContainer(context, (container) => (container.securityContext?.privileged ? 'privileged' : undefined)),
    breaks: (objects) => {
      apiContainer(objects).securityContext.privileged = true;
    },
  },
  {
    id: 'pss-capabilities',
    covers: [
      'Pod Security restricted: capabilities',
      'kube-linter drop-net-raw-capability',
      'Polaris dangerousCapabilities, insecureCapabilities',
    ],
    why: 'Every capability drops; none is added (NET_BIND_SERVICE is the only one allowed, and no workload here needs it).',
    check: (context) =>
      eachContainer(context, (container) => {
        const capabilities = container.securityContext?.capabilities ?? {};
        if (!(capabilities.drop ?? []).includes('ALL')) return 'does not drop ALL capabilities';
        const added = (capabilities.add ?? []).filter((capability: string) => capability !== 'NET_BIND_SERVICE');
        return added.length > 0 ? `adds ${added.join(', ')}` : undefined;
      }),
    breaks: (objects) => {
      apiContainer(objects).securityContext.capabilities = { drop: ['ALL'], add: ['NET_RAW'] };
    },
  },
  {
    id: 'pss-volume-types',
    covers: [
      'Pod Security restricted: volume types',
      'Pod Security baseline: hostPath volumes',
      'kube-linter sensitive-host-mounts, docker-sock',
      'Polaris hostPathSet',
    ],
    why: 'Only volumes that cannot reach the node: no hostPath (a host path is a way out of the container).',
    check: (context) =>
      eachWorkload(context, ({ podSpec }) => {
        const bad = (podSpec.volumes ?? []).filter(
          (volume: Record<string, unknown>) =>
            !Object.keys(volume).some((key) => RESTRICTED_VOLUME_TYPES.includes(key)),
        );
        return bad.length > 0
          ? `volume ${bad.map((volume: { name: string }) => volume.name).join(', ')} is not of a restricted type`
          : undefined;
      }),
    breaks: (objects) => {
      apiPod(objects).volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } });
    },
  },
  {
    id: 'pss-host-ports',
    covers: ['Pod Security baseline: host ports', 'Polaris hostPortSet'],
    why: "A host port binds the node's address and bypasses Services and NetworkPolicies.",
    check: (context) =>
      eachContainer(context, (container) =>
        (container.ports ?? []).some((port: { hostPort?: number }) => port.hostPort) ? 'uses a hostPort' : undefined,
      ),
    breaks: (objects) => {
      apiContainer(objects).ports[0].hostPort = 8080;
    },
  },
  {
    id: 'pss-privilege-escalation',
    covers: [
      'Pod Security restricted: privilege escalation',
      'kube-score container-security-context-privilege-escalation',
      'kube-linter privilege-escalation-container',
      'Polaris privilegeEscalationAllowed',
    ],
    why: 'no_new_privs: a setuid binary in the image cannot make the process more than it is.',
    check: (context) =>
      eachContainer(context, (container) =>
        container.securityContext?.allowPrivilegeEscalation === false
          ? undefined
          : 'allowPrivilegeEscalation is not false',
      ),
    breaks: (objects) => {
      delete apiContainer(objects).securityContext.allowPrivilegeEscalation;
    },
  },
  {
    id: 'pss-run-as-non-root',
    covers: [
      'Pod Security restricted: running as non-root, non-root user',
      'kube-linter run-as-non-root',
      'Polaris runAsRootAllowed',
    ],
    why: 'The kubelet refuses to start the container as root, whatever the image says.',
    check: (context) =>
      eachContainer(context, (container, workload) => {
        if (effective(container, workload, 'runAsNonRoot') !== true) return 'runAsNonRoot is not true';
        return effective(container, workload, 'runAsUser') === 0 ? 'runs as UID 0' : undefined;
      }),
    breaks: (objects) => {
      delete apiPod(objects).securityContext.runAsNonRoot;
      delete apiContainer(objects).securityContext.runAsNonRoot;
    },
  },
  {
    id: 'pss-seccomp',
    covers: ['Pod Security restricted: seccomp', 'Polaris linuxHardening'],
    why: "The runtime's default seccomp profile blocks the system calls containers never need (and most kernel exploits use).",
    check: (context) =>
      eachContainer(context, (container, workload) => {
        const profile = (effective(container, workload, 'seccompProfile') as { type?: string } | undefined)?.type;
        return profile === 'RuntimeDefault' || profile === 'Localhost'
          ? undefined
          : `seccomp profile ${profile ?? 'unset'}`;
      }),
    breaks: (objects) => {
      apiPod(objects).securityContext.seccompProfile = { type: 'Unconfined' };
      apiContainer(objects).securityContext.seccompProfile = { type: 'Unconfined' };
    },
  },
  {
    id: 'pss-other-baseline',
    covers: [
      'Pod Security baseline: /proc mount, sysctls, SELinux, AppArmor, HostProcess',
      'kube-linter unsafe-sysctls',
      'Polaris procMount',
    ],
    why: 'The remaining ways out of the default sandbox: an unmasked /proc, node-wide sysctls, a custom SELinux type, an unconfined AppArmor profile.',
    check: (context) =>
      eachContainer(context, (container, workload) => {
        const security = { ...workload.podSpec.securityContext, ...container.securityContext };
        if (security.procMount !== undefined && security.procMount !== 'Default') return 'procMount is not Default';
        const sysctls = (workload.podSpec.securityContext?.sysctls ?? []).filter(
          (sysctl: { name: string }) => !SAFE_SYSCTLS.has(sysctl.name),
        );
        if (sysctls.length > 0) return `unsafe sysctl ${sysctls[0].name}`;
        const seLinuxType = security.seLinuxOptions?.type;
        if (
          seLinuxType !== undefined &&
          !['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'].includes(seLinuxType)
        )
          return `SELinux type ${seLinuxType}`;
        if (security.appArmorProfile?.type === 'Unconfined') return 'AppArmor unconfined';
        return security.windowsOptions?.hostProcess ? 'HostProcess' : undefined;
      }),
    breaks: (objects) => {
      apiPod(objects).securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }];
    },
  },
  {
    id: 'pss-probe-host',
    covers: ['Pod Security baseline (v1.34): host probes and lifecycle handlers'],
    why: "A probe or lifecycle hook with a host makes the kubelet connect from the node to any address it names; unset, it reaches the pod's own IP.",
    check: (context) =>
      eachContainer(context, (container) => {
        const handlers: [string, Record<string, { host?: string } | undefined> | undefined][] = [
          ['startupProbe', container.startupProbe],
          ['readinessProbe', container.readinessProbe],
          ['livenessProbe', container.livenessProbe],
          ['lifecycle.postStart', container.lifecycle?.postStart],
          ['lifecycle.preStop', container.lifecycle?.preStop],
        ];
        const set = handlers.flatMap(([name, handler]) =>
          ['httpGet', 'tcpSocket']
            .filter((action) => (handler?.[action]?.host ?? '') !== '')
            .map((action) => `${name}.${action}.host`),
        );
        return set.length > 0 ? `${set.join(', ')} set` : undefined;
      }),
    breaks: (objects) => {
      apiContainer(objects).livenessProbe.httpGet.host = '10.96.0.1';
    },
  },
  {
    id: 'namespace-enforces-restricted',
    covers: ['Pod Security Admission: enforce, audit and warn at restricted'],
    why: 'The API server itself then refuses any pod that breaks the profile, whatever a later change to these manifests says.',
    check: ({ objects }) =>
      objects
        .filter((object) => object.kind === 'Namespace')
        .flatMap((namespace) =>
          ['enforce', 'audit', 'warn'].every(
            (mode) => namespace.metadata.labels?.[`pod-security.kubernetes.io/${mode}`] === 'restricted',
          )
            ? []
            : [`${named(namespace)}: not labelled restricted for enforce, audit and warn`],
        ),
    breaks: (objects) => {
      const namespace = find(objects, 'Namespace', 'memelab');
      namespace.metadata.labels = { ...namespace.metadata.labels, 'pod-security.kubernetes.io/enforce': 'baseline' };
    },
  },
  // --- containers ------------------------------------------------------------------------
  {
    id: 'read-only-root-filesystem',
    covers: [
      'kube-score container-security-context-readonlyrootfilesystem',
      'kube-linter no-read-only-root-fs',
      'Polaris notReadOnlyRootFilesystem',
    ],
    why: 'An attacker cannot drop a binary or change the application; what must be writable is an emptyDir, named and bounded.',
    check: (context) =>
      eachContainer(context, (container) =>
        container.securityContext?.readOnlyRootFilesystem === true ? undefined : 'root filesystem is writable',
      ),
    breaks: (objects) => {
      apiContainer(objects).securityContext.readOnlyRootFilesystem = false;
    },
  },
  {
    id: 'high-uid-gid',
    covers: ['kube-score container-security-context-user-group-id'],
    why: 'A fixed UID and GID above 10000 collide with no user of the node, so a container escape lands as nobody in particular.',
    check: (context) =>
      eachContainer(context, (container, workload) => {
        const user = effective(container, workload, 'runAsUser') as number | undefined;
        const group = effective(container, workload, 'runAsGroup') as number | undefined;
        return user !== undefined && user > 10000 && group !== undefined && group > 10000
          ? undefined
          : `runs as ${user}:${group}`;
      }),
    breaks: (objects) => {
      apiPod(objects).securityContext.runAsUser = 1000;
      apiContainer(objects).securityContext.runAsUser = 1000;
    },
  },
  {
    id: 'resources',
    covers: [
      'kube-score container-resources',
      'kube-linter unset-cpu-requirements, unset-memory-requirements',
      'Polaris cpuRequestsMissing, cpuLimitsMissing, memoryRequestsMissing, memoryLimitsMissing',
    ],
    why: "Requests let the scheduler place pods where they fit; limits keep one pod from starving its node (the seed's nodes went NotReady without them).",
    check: (context) =>
      eachContainer(context, (container) => {
        const { requests = {}, limits = {} } = container.resources ?? {};
        const missing = [
          ['requests', 'cpu', requests],
          ['requests', 'memory', requests],
          ['limits', 'cpu', limits],
          ['limits', 'memory', limits],
        ].filter(([, resource, values]) => (values as Record<string, unknown>)[resource as string] === undefined);
        return missing.length > 0
          ? `no ${missing.map(([kind, resource]) => `${resource} ${kind}`).join(', ')}`
          : undefined;
      }),
    breaks: (objects) => {
      delete apiContainer(objects).resources.limits.memory;
    },
  },
  {
    id: 'ephemeral-storage',
    covers: ['kube-score container-ephemeral-storage-request-and-limit'],
    why: "Logs and emptyDirs count against the node's disk; a limit evicts the pod that fills it instead of the node.",
    check: (context) =>
      eachContainer(context, (container) =>
        container.resources?.requests?.['ephemeral-storage'] && container.resources?.limits?.['ephemeral-storage']
          ? undefined
          : 'no ephemeral-storage request and limit',
      ),
    breaks: (objects) => {
      delete apiContainer(objects).resources.requests['ephemeral-storage'];
    },
  },
  {
    id: 'empty-dir-size-limit',
    covers: ['the platform: an emptyDir only where a path must be writable, bounded'],
    why: 'A writable path is a bounded emptyDir, so a runaway write evicts its pod rather than filling the node.',
    check: (context) =>
      eachWorkload(context, ({ podSpec }) => {
        const unbounded = (podSpec.volumes ?? []).filter(
          (volume: { emptyDir?: { sizeLimit?: string } }) =>
            volume.emptyDir !== undefined && volume.emptyDir.sizeLimit === undefined,
        );
        return unbounded.length > 0 ? `emptyDir ${unbounded[0].name} has no sizeLimit` : undefined;
      }),
    breaks: (objects) => {
      apiPod(objects).volumes[0].emptyDir = {};
    },
  },
  {
    id: 'image-tag',
    covers: ['kube-score container-image-tag', 'kube-linter latest-tag', 'Polaris tagNotSpecified'],
    why: 'A tag names one release; `latest` (or no tag) is whatever was pushed last, so two nodes may run different code and a rollback has nothing to go back to.',
    check: (context) =>
      eachContainer(context, (container) => {
        const image: string = container.image ?? '';
        if (image.includes('@sha256:')) return undefined;
        const tag = /:([^/:]+)$/.exec(image)?.[1];
        return tag === undefined || tag === 'latest' ? `image ${image} has no pinned tag` : undefined;
      }),
    breaks: (objects) => {
      apiContainer(objects).image = 'ghcr.io/memelab/memelab-api:latest';
    },
  },
  {
    id: 'image-pull-policy',
    covers: [
      'kube-score container-image-pull-policy (deviation: IfNotPresent, not Always)',
      'Polaris pullPolicyNotAlways (same deviation)',
    ],
    why: 'Tags are never moved (CI pushes a new tag per release), so IfNotPresent pulls each image once per node and a registry outage cannot stop a restart; Always only adds a registry round trip to every start.',
    check: (context) =>
      eachContainer(context, (container) =>
        container.imagePullPolicy === 'IfNotPresent'
          ? undefined
          : `imagePullPolicy ${container.imagePullPolicy ?? 'unset'}`,
      ),
    breaks: (objects) => {
      delete apiContainer(objects).imagePullPolicy;
    },
  },
  {
    id: 'env-no-literal-secrets',
    covers: ['kube-linter env-var-secret', 'Polaris sensitiveContainerEnvVar, sensitiveConfigmapContent'],
    why: 'A password in an env literal or a ConfigMap is readable by anyone who can read the Deployment; secrets come from Secrets only.',
    check: (context) => [
      ...eachContainer(context, (container) => {
        const literal = (container.env ?? []).find(
          (variable: { name: string; value?: string }) =>
            SENSITIVE_NAME.test(variable.name) &&
            variable.value !== undefined &&
            variable.value !== '' &&
            !/^\$\(/.test(variable.value),
        );
        return literal === undefined ? undefined : `env ${literal.name} holds a literal value`;
      }),
      ...context.objects
        .filter((object) => object.kind === 'ConfigMap')
        .flatMap((configMap) =>
          Object.entries(configMap.data ?? {})
            .filter(([key, value]) => SENSITIVE_NAME.test(key) || /:\/\/[^/@\s:]+:[^/@\s]+@/.test(String(value)))
            .map(([key]) => `${named(configMap)}: ${key} looks like a credential`),
        ),
    ],
    breaks: (objects) => {
      apiContainer(objects).env.push({ name: 'DB_PASSWORD', value: 'hunter2hunter2' });
    },
  },
  {
    id: 'env-no-duplicates',
    covers: ['kube-score environment-variable-key-duplication'],
    why: 'With a key twice only the last one counts, silently.',
    check: (context) =>
      eachContainer(context, (container) => {
        const names = (container.env ?? []).map((variable: { name: string }) => variable.name);
        const duplicate = names.find((name: string, index: number) => names.indexOf(name) !== index);
        return duplicate === undefined ? undefined : `env ${duplicate} is set twice`;
      }),
    breaks: (objects) => {
      apiContainer(objects).env.push({ name: 'PORT', value: '9090' });
    },
  },
  {
    id: 'no-ssh-port',
    covers: ['kube-linter ssh-port'],
    why: 'Nothing in these images runs SSH; a port 22 means something is there that should not be.',
    check: (context) =>
      eachContainer(context, (container) =>
        (container.ports ?? []).some((port: { containerPort: number }) => port.containerPort === 22)
          ? 'exposes port 22'
          : undefined,
      ),
    breaks: (objects) => {
      apiContainer(objects).ports.push({ name: 'ssh', containerPort: 22, protocol: 'TCP' });
    },
  },
  // --- probes and lifecycle --------------------------------------------------------------
  {
    id: 'probes',
    covers: [
      'kube-score pod-probes',
      'kube-linter no-liveness-probe, no-readiness-probe',
      'Polaris readinessProbeMissing, livenessProbeMissing',
    ],
    why: 'Readiness keeps traffic off a pod that cannot serve; liveness restarts a hung one; a startup probe gives a slow start (a throttled CPU, a backend still coming up) its time without a long initial delay.',
    check: (context) =>
      eachContainer(context, (container, workload) => {
        if (!workload.longRunning || (workload.podSpec.initContainers ?? []).includes(container)) return undefined;
        const missing = ['startupProbe', 'readinessProbe', 'livenessProbe'].filter(
          (probe) => container[probe] === undefined,
        );
        return missing.length > 0 ? `no ${missing.join(', ')}` : undefined;
      }),
    breaks: (objects) => {
      delete apiContainer(objects).readinessProbe;
    },
  },
  {
    id: 'probes-differ',
    covers: ['kube-score pod-probes-identical'],
    why: 'Liveness asks "is the process alive" (/healthz), readiness "can it serve" (/readyz); the same check for both restarts pods whose database is down, which helps nothing.',
    check: (context) =>
      eachContainer(context, (container) =>
        container.livenessProbe !== undefined &&
        JSON.stringify(container.livenessProbe) === JSON.stringify(container.readinessProbe)
          ? 'liveness and readiness probes are identical'
          : undefined,
      ),
    breaks: (objects) => {
      const container = apiContainer(objects);
      container.readinessProbe = structuredClone(container.livenessProbe);
    },
  },
  {
    id: 'probe-ports-declared',
    covers: ['the platform: every probe port is a declared container port'],
    why: 'A probe on a port the container does not declare (or a misspelt port name) fails forever: the pod never becomes ready.',
    check: (context) =>
      eachContainer(context, (container) => {
        for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
          const port =
            container[probe]?.httpGet?.port ?? container[probe]?.tcpSocket?.port ?? container[probe]?.grpc?.port;
          if (port !== undefined && !containerHasPort([container], port))
            return `${probe} port ${port} is not declared`;
        }
        return undefined;
      }),
    breaks: (objects) => {
      apiContainer(objects).livenessProbe.httpGet.port = 'metrics';
    },
  },
  {
    id: 'graceful-shutdown',
    covers: ['the platform: preStop drain and a grace period longer than the shutdown timeout'],
    why: "A preStop pause lets endpoints drop the pod before it stops listening; the grace period must cover that pause plus the app's SHUTDOWN_TIMEOUT_MS, or the kubelet kills renders and requests halfway.",
    check: (context) =>
      eachWorkload(context, (workload) => {
        if (!workload.longRunning) return undefined;
        const grace = workload.podSpec.terminationGracePeriodSeconds ?? 30;
        for (const container of workload.podSpec.containers) {
          const shutdownMs = Number(
            (container.env ?? []).find((variable: { name: string }) => variable.name === 'SHUTDOWN_TIMEOUT_MS')
              ?.value ??
              context.objects
                .filter((object) => object.kind === 'ConfigMap' && object.metadata.namespace === workload.namespace)
                .filter((configMap) =>
                  (container.envFrom ?? []).some(
                    (source: { configMapRef?: { name: string } }) =>
                      source.configMapRef?.name === configMap.metadata.name,
                  ),
                )
                .map((configMap) => configMap.data?.SHUTDOWN_TIMEOUT_MS)
                .find((value) => value !== undefined) ??
              0,
          );
          const preStop = container.lifecycle?.preStop;
          if (shutdownMs > 0 && preStop === undefined) return `${container.name} has no preStop drain`;
          const pause = preStop?.sleep?.seconds ?? 0;
          if (grace <= shutdownMs / 1000 + pause)
            return `grace period ${grace} s does not cover ${shutdownMs / 1000} s shutdown + ${pause} s preStop`;
        }
        return undefined;
      }),
    breaks: (objects) => {
      apiPod(objects).terminationGracePeriodSeconds = 30;
    },
  },
  {
    id: 'rollout-shape',
    covers: [
      'kube-score deployment-strategy',
      'the platform: maxUnavailable 0, minReadySeconds, progressDeadlineSeconds, revisionHistoryLimit',
    ],
    why: 'A rolling update that never removes a ready pod before its replacement is ready, stops (and can be rolled back) when a release cannot become ready, and keeps old ReplicaSets to roll back to.',
    check: ({ objects }) =>
      objects
        .filter((object) => object.kind === 'Deployment')
        .flatMap((deployment) => {
          const { strategy, minReadySeconds, progressDeadlineSeconds, revisionHistoryLimit } = deployment.spec;
          if (strategy?.type !== 'RollingUpdate' || strategy.rollingUpdate?.maxUnavailable !== 0)
            return [`${named(deployment)}: not a RollingUpdate with maxUnavailable 0`];
          if (!(minReadySeconds > 0 && progressDeadlineSeconds > 0 && revisionHistoryLimit > 0))
            return [`${named(deployment)}: minReadySeconds, progressDeadlineSeconds or revisionHistoryLimit unset`];
          return [];
        }),
    breaks: (objects) => {
      find(objects, 'Deployment', 'web').spec.strategy = { type: 'Recreate' };
    },
  },
  {
    id: 'jobs-bounded',
    covers: ['kube-score cronjob-has-deadline, cronjob-restartpolicy', 'kube-linter job-ttl-seconds-after-finished'],
    why: 'A Job that hangs is stopped (activeDeadlineSeconds), a missed CronJob run is not made up in a burst (startingDeadlineSeconds), runs never overlap, and finished Jobs are cleaned up.',
    check: ({ objects }) =>
      objects.flatMap((object) => {
        const job =
          object.kind === 'CronJob' ? object.spec.jobTemplate.spec : object.kind === 'Job' ? object.spec : undefined;
        if (job === undefined) return [];
        if (
          object.kind === 'CronJob' &&
          !(object.spec.startingDeadlineSeconds > 0 && object.spec.concurrencyPolicy === 'Forbid')
        )
          return [`${named(object)}: no startingDeadlineSeconds or overlapping runs allowed`];
        if (!(job.activeDeadlineSeconds > 0 && job.ttlSecondsAfterFinished !== undefined))
          return [`${named(object)}: no activeDeadlineSeconds or ttlSecondsAfterFinished`];
        return ['Never', 'OnFailure'].includes(job.template.spec.restartPolicy)
          ? []
          : [`${named(object)}: restartPolicy must be Never or OnFailure`];
      }),
    breaks: (objects) => {
      delete find(objects, 'CronJob', 'postgres-backup').spec.startingDeadlineSeconds;
    },
  },
  // --- identity ----------------------------------------------------------------------------
  {
    id: 'service-account',
    covers: [
      'kube-linter non-existent-service-account, deprecated-service-account-field, default-service-account',
      'Polaris automountServiceAccountToken',
    ],
    why: 'One ServiceAccount per workload, none with a mounted token: no process here calls the Kubernetes API, so a stolen token would only be a gift.',
    check: (context) =>
      eachWorkload(context, (workload) => {
        const name = workload.podSpec.serviceAccountName;
        if (name === undefined || name === 'default' || workload.podSpec.serviceAccount !== undefined)
          return 'uses the default or deprecated service account field';
        const account = context.objects.find(
          (object) =>
            object.kind === 'ServiceAccount' &&
            object.metadata.name === name &&
            object.metadata.namespace === workload.namespace,
        );
        if (account === undefined) return `ServiceAccount ${name} does not exist`;
        return workload.podSpec.automountServiceAccountToken === false && account.automountServiceAccountToken === false
          ? undefined
          : 'mounts a service account token';
      }),
    breaks: (objects) => {
      apiPod(objects).automountServiceAccountToken = true;
    },
  },
  {
    id: 'no-rbac-in-tenants',
    covers: [
      'the platform: no Role unless a workload calls the Kubernetes API',
      'kube-linter cluster-admin-role-binding, wildcard-in-rules',
      'Polaris clusterrolebindingClusterAdmin, rolePodExecAttach',
    ],
    why: 'No tenant workload calls the Kubernetes API (RabbitMQ clusters by DNS names, not by the API), so the tenants have no Role, RoleBinding or cluster-wide grant at all.',
    check: ({ objects }) =>
      objects
        .filter((object) => ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(object.kind))
        .map((object) => `${named(object)}: RBAC object in a tenant`),
    breaks: (objects) => {
      objects.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'reader', namespace: 'memelab' },
        rules: [],
      });
    },
  },
  // --- services, ingress, network -------------------------------------------------------
  {
    id: 'service-targets-pods',
    covers: ['kube-score service-targets-pod', 'kube-linter dangling-service'],
    why: 'A Service whose selector matches no pod template has no endpoints: the name resolves and every connection fails.',
    check: (context) =>
      context.objects
        .filter((object) => object.kind === 'Service' && object.spec.type !== 'ExternalName')
        .flatMap((service) =>
          context.workloads.some(
            (workload) =>
              workload.namespace === service.metadata.namespace &&
              serviceSelects(service.spec.selector, workload.podLabels),
          )
            ? []
            : [`${named(service)}: selects no pod`],
        ),
    breaks: (objects) => {
      find(objects, 'Service', 'api').spec.selector = { 'app.kubernetes.io/name': 'apj' };
    },
  },
  {
    id: 'service-target-ports',
    covers: ['kube-linter invalid-target-ports', 'kube-score service-targets-pod'],
    why: 'A targetPort must name (or number) a port the selected containers declare, or the Service forwards to nothing.',
    check: (context) =>
      context.objects
        .filter((object) => object.kind === 'Service' && object.spec.selector !== undefined)
        .flatMap((service) => {
          const pods = context.workloads.filter(
            (workload) =>
              workload.namespace === service.metadata.namespace &&
              serviceSelects(service.spec.selector, workload.podLabels),
          );
          return (service.spec.ports ?? [])
            .filter(
              (port: { port: number; targetPort?: string | number }) =>
                !pods.every((pod) => containerHasPort(pod.podSpec.containers, port.targetPort ?? port.port)),
            )
            .map(
              (port: { name?: string }) =>
                `${named(service)}: port ${port.name} targets a port its pods do not declare`,
            );
        }),
    breaks: (objects) => {
      find(objects, 'Service', 'web').spec.ports[0].targetPort = 'https';
    },
  },
  {
    id: 'service-type',
    covers: ['kube-score service-type'],
    why: 'NodePorts open a port on every node, outside the ingress and its TLS; traffic enters through ingress-nginx (a MetalLB LoadBalancer) only.',
    check: ({ objects }) =>
      objects
        .filter((object) => object.kind === 'Service' && ['NodePort', 'LoadBalancer'].includes(object.spec.type))
        .map((service) => `${named(service)}: type ${service.spec.type}`),
    breaks: (objects) => {
      find(objects, 'Service', 'web').spec.type = 'NodePort';
    },
  },
  {
    id: 'statefulset-service',
    covers: ['kube-score statefulset-has-servicename'],
    why: "A StatefulSet's pods get their stable DNS names (RabbitMQ clusters by them) only from a headless Service that selects them.",
    check: (context) =>
      context.objects
        .filter((object) => object.kind === 'StatefulSet')
        .flatMap((statefulSet) => {
          const service = context.objects.find(
            (object) =>
              object.kind === 'Service' &&
              object.metadata.name === statefulSet.spec.serviceName &&
              object.metadata.namespace === statefulSet.metadata.namespace,
          );
          return service?.spec.clusterIP === 'None' &&
            serviceSelects(service.spec.selector, statefulSet.spec.template.metadata.labels)
            ? []
            : [`${named(statefulSet)}: serviceName is not a headless Service selecting it`];
        }),
    breaks: (objects) => {
      find(objects, 'StatefulSet', 'rabbitmq').spec.serviceName = 'rabbitmq';
    },
  },
  {
    id: 'ingress-targets-service',
    covers: ['kube-score ingress-targets-service', 'kube-linter dangling-ingress'],
    why: 'Every backend of an Ingress is a Service (and port) that exists, or ingress-nginx answers 503.',
    check: ({ objects }) =>
      objects
        .filter((object) => object.kind === 'Ingress')
        .flatMap((ingress) =>
          (ingress.spec.rules ?? []).flatMap(
            (rule: {
              http?: { paths: { backend: { service: { name: string; port: { name?: string; number?: number } } } }[] };
            }) =>
              (rule.http?.paths ?? []).flatMap(({ backend }) => {
                const service = objects.find(
                  (object) =>
                    object.kind === 'Service' &&
                    object.metadata.name === backend.service.name &&
                    object.metadata.namespace === ingress.metadata.namespace,
                );
                const hasPort = (service?.spec.ports ?? []).some(
                  (port: { name?: string; port: number }) =>
                    port.name === backend.service.port.name || port.port === backend.service.port.number,
                );
                return hasPort ? [] : [`${named(ingress)}: backend ${backend.service.name} does not exist`];
              }),
          ),
        ),
    breaks: (objects) => {
      find(objects, 'Ingress', 'memelab').spec.rules[0].http.paths[0].backend.service.name = 'api-v2';
    },
  },
  {
    id: 'ingress-tls',
    covers: ['Polaris tlsSettingsMissing', 'the platform: ingress class nginx'],
    why: 'Every host is served over TLS (cert-manager issues the certificate), through the one ingress controller the NetworkPolicies admit.',
    check: ({ objects }) =>
      objects
        .filter((object) => object.kind === 'Ingress')
        .flatMap((ingress) => {
          const tlsHosts = new Set(
            (ingress.spec.tls ?? []).flatMap((tls: { hosts?: string[]; secretName?: string }) =>
              tls.secretName ? (tls.hosts ?? []) : [],
            ),
          );
          const plain = (ingress.spec.rules ?? []).filter((rule: { host?: string }) => !tlsHosts.has(rule.host ?? ''));
          if (ingress.spec.ingressClassName !== 'nginx') return [`${named(ingress)}: ingressClassName is not nginx`];
          return plain.length > 0 ? [`${named(ingress)}: host ${plain[0].host} without TLS`] : [];
        }),
    breaks: (objects) => {
      delete find(objects, 'Ingress', 'memelab').spec.tls;
    },
  },
  {
    id: 'network-policy-isolates-pods',
    covers: ['kube-score pod-networkpolicy', 'kube-linter non-isolated-pod', 'Polaris missingNetworkPolicy'],
    why: "Every pod is selected by policies for both directions (the namespace's default deny), so anything not allowed by name is refused.",
    check: (context) =>
      eachWorkload(context, (workload) => {
        const policies = policiesOf(context, workload.namespace).filter((policy) =>
          selectorMatches(policy.spec.podSelector, workload.podLabels),
        );
        const missing = ['Ingress', 'Egress'].filter(
          (direction) => !policies.some((policy) => policyTypes(policy).includes(direction)),
        );
        return missing.length > 0 ? `no NetworkPolicy for ${missing.join(' and ')}` : undefined;
      }),
    breaks: (objects) => {
      const index = objects.findIndex(
        (object) =>
          object.kind === 'NetworkPolicy' &&
          object.metadata.name === 'default-deny' &&
          object.metadata.namespace === 'memelab',
      );
      objects.splice(index, 1);
    },
  },
  {
    id: 'network-policy-selectors-match',
    covers: ['kube-score networkpolicy-targets-pod', 'the platform: every NetworkPolicy selector matches something'],
    why: 'A policy (or a from/to peer) whose selector matches nothing is a typo that silently allows or blocks nothing.',
    check: (context) =>
      context.objects
        .filter((object) => object.kind === 'NetworkPolicy')
        .flatMap((policy) => {
          const namespace = policy.metadata.namespace as string;
          const problems: string[] = [];
          if (
            !context.workloads.some(
              (workload) =>
                workload.namespace === namespace && selectorMatches(policy.spec.podSelector, workload.podLabels),
            )
          )
            problems.push(`${named(policy)}: podSelector matches no pod`);
          for (const rule of [
            ...(policy.spec.ingress ?? []).map((rule: { from?: unknown[] }) => rule.from),
            ...(policy.spec.egress ?? []).map((rule: { to?: unknown[] }) => rule.to),
          ]) {
            for (const peer of (rule ?? []) as Parameters<typeof peerMatchesSomething>[2][]) {
              if (!peerMatchesSomething(context, namespace, peer))
                problems.push(`${named(policy)}: peer ${JSON.stringify(peer)} matches no pod`);
            }
          }
          return problems;
        }),
    breaks: (objects) => {
      find(objects, 'NetworkPolicy', 'web-to-api').spec.egress[0].to[0].podSelector.matchLabels[
        'app.kubernetes.io/name'
      ] = 'apii';
    },
  },
  // --- availability ----------------------------------------------------------------------
  {
    id: 'pdb-per-workload',
    covers: [
      'kube-score deployment-has-poddisruptionbudget, statefulset-has-poddisruptionbudget, poddisruptionbudget-has-policy',
      'Polaris missingPodDisruptionBudget',
    ],
    why: 'A budget tells a drain how many pods of the workload may go at once; without one a node drain can take every replica together.',
    check: (context) =>
      eachWorkload(context, (workload) => {
        if (!['Deployment', 'StatefulSet'].includes(workload.object.kind)) return undefined;
        const budgets = context.objects.filter(
          (object) =>
            object.kind === 'PodDisruptionBudget' &&
            object.metadata.namespace === workload.namespace &&
            selectorMatches(object.spec.selector, workload.podLabels),
        );
        if (budgets.length !== 1) return `matched by ${budgets.length} PodDisruptionBudgets`;
        return budgets[0]?.spec.maxUnavailable === undefined && budgets[0]?.spec.minAvailable === undefined
          ? 'budget has no policy'
          : undefined;
      }),
    breaks: (objects) => {
      const index = objects.findIndex(
        (object) => object.kind === 'PodDisruptionBudget' && object.metadata.name === 'web',
      );
      objects.splice(index, 1);
    },
  },
  {
    id: 'pdb-allows-drain',
    covers: [
      "the platform: PDBs do not block a drain at the overlay's replica counts",
      'kube-linter pdb-max-unavailable, pdb-min-available',
    ],
    why: "At the fewest replicas the overlay runs (its replicas, or its autoscaler's minimum), each budget still allows one eviction, so `kubectl drain` always finishes.",
    check: (context) =>
      context.objects
        .filter((object) => object.kind === 'PodDisruptionBudget')
        .flatMap((pdb) =>
          context.workloads
            .filter(
              (workload) =>
                workload.namespace === pdb.metadata.namespace &&
                workload.longRunning &&
                selectorMatches(pdb.spec.selector, workload.podLabels),
            )
            .flatMap((workload) =>
              allowedDisruptions(pdb, Math.max(1, workload.minReplicas)) >= 1
                ? []
                : [`${named(pdb)}: blocks draining ${where(workload)} at ${workload.minReplicas} replicas`],
            ),
        ),
    breaks: (objects) => {
      const pdb = find(objects, 'PodDisruptionBudget', 'postgres');
      delete pdb.spec.maxUnavailable;
      pdb.spec.minAvailable = 1;
    },
  },
  {
    id: 'spread-over-nodes',
    covers: [
      'kube-score deployment-has-host-podantiaffinity, statefulset-has-host-podantiaffinity',
      'kube-linter no-anti-affinity',
      'Polaris topologySpreadConstraint',
    ],
    why: 'Replicas of one workload spread over the nodes, so losing a node loses one of them, not all (ScheduleAnyway: a one-node cluster still schedules them).',
    check: (context) =>
      eachWorkload(context, (workload) => {
        if (!workload.longRunning || workload.maxReplicas <= 1) return undefined;
        const spread = (workload.podSpec.topologySpreadConstraints ?? []).some(
          (constraint: { topologyKey: string; labelSelector: LabelSelector }) =>
            constraint.topologyKey === 'kubernetes.io/hostname' &&
            selectorMatches(constraint.labelSelector, workload.podLabels),
        );
        const antiAffinity = workload.podSpec.affinity?.podAntiAffinity !== undefined;
        return spread || antiAffinity ? undefined : 'replicated but not spread over nodes';
      }),
    breaks: (objects) => {
      delete apiPod(objects).topologySpreadConstraints;
    },
  },
  {
    id: 'autoscaler-targets',
    covers: [
      'kube-score horizontalpodautoscaler-has-target',
      'Polaris hpaMaxAvailability',
      'the platform: HPA and KEDA targets exist',
    ],
    why: 'An autoscaler whose target does not exist scales nothing; one whose maximum is not above its minimum cannot scale.',
    check: ({ objects }) =>
      objects
        .filter((object) => object.kind === 'HorizontalPodAutoscaler' || object.kind === 'ScaledObject')
        .flatMap((scaler) => {
          const target = scaler.spec.scaleTargetRef;
          const exists = objects.some(
            (object) =>
              object.kind === (target.kind ?? 'Deployment') &&
              object.metadata.name === target.name &&
              object.metadata.namespace === scaler.metadata.namespace,
          );
          const [min, max] =
            scaler.kind === 'ScaledObject'
              ? [scaler.spec.minReplicaCount ?? 0, scaler.spec.maxReplicaCount ?? 100]
              : [scaler.spec.minReplicas ?? 1, scaler.spec.maxReplicas];
          if (!exists) return [`${named(scaler)}: target ${target.kind} ${target.name} does not exist`];
          return max > min && min >= 1 ? [] : [`${named(scaler)}: replicas ${min} to ${max}`];
        }),
    breaks: (objects) => {
      find(objects, 'ScaledObject', 'worker').spec.scaleTargetRef.name = 'workers';
    },
  },
  {
    id: 'autoscaled-without-replicas',
    covers: ['kube-score deployment-targeted-by-hpa-does-not-have-replicas'],
    why: 'A Deployment the autoscaler drives has no replicas field, or every sync (Argo CD selfHeal) resets it to that count.',
    check: (context) =>
      eachWorkload(context, (workload) =>
        workload.autoscaled && workload.object.spec.replicas !== undefined ? 'autoscaled but sets replicas' : undefined,
      ),
    breaks: (objects) => {
      find(objects, 'Deployment', 'api').spec.replicas = 3;
    },
  },
  // --- metadata ------------------------------------------------------------------------------
  {
    id: 'recommended-labels',
    covers: [
      'kube-score label-values',
      'Polaris metadataAndInstanceMismatched',
      'the platform: app.kubernetes.io/{name,instance,component,part-of,version}',
    ],
    why: 'The recommended labels on every object (and version on every pod) are what dashboards, alerts, `kubectl get -l` and Argo CD group by; values must be valid label values.',
    check: ({ objects, workloads }) => [
      ...objects.flatMap((object) => {
        const labels = object.metadata.labels ?? {};
        const missing = REQUIRED_LABELS.filter((label) => labels[label] === undefined);
        const invalid = Object.entries(labels).filter(
          ([, value]) => !LABEL_VALUE.test(String(value)) || String(value).length > 63,
        );
        return [
          ...(missing.length > 0 ? [`${named(object)}: no ${missing.join(', ')}`] : []),
          ...invalid.map(([key]) => `${named(object)}: label ${key} has an invalid value`),
        ];
      }),
      ...workloads.flatMap((workload) =>
        workload.podLabels['app.kubernetes.io/version'] === undefined
          ? [`${where(workload)}: pods have no app.kubernetes.io/version`]
          : [],
      ),
    ],
    breaks: (objects) => {
      const labels = find(objects, 'Service', 'web').metadata.labels ?? {};
      delete labels['app.kubernetes.io/component'];
    },
  },
  {
    id: 'stable-api-versions',
    covers: ['kube-score stable-version', 'kube-linter no-extensions-v1beta'],
    why: 'Only API versions Kubernetes 1.34 serves and will keep serving; removed beta versions fail to apply on upgrade.',
    check: ({ objects }) =>
      objects
        .filter((object) => DEPRECATED_API_VERSIONS.includes(object.apiVersion))
        .map((object) => `${named(object)}: ${object.apiVersion} is deprecated`),
    breaks: (objects) => {
      find(objects, 'PodDisruptionBudget', 'api').apiVersion = 'policy/v1beta1';
    },
  },
];

export const checkPolicies = (objects: readonly K8sObject[]): Map<string, string[]> => {
  const context = policyContext(objects);
  return new Map(RULES.map((rule) => [rule.id, rule.check(context)]));
};
