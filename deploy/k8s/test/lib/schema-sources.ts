/**
 * Which upstream tag each vendored CRD schema (deploy/k8s/test/crds) comes from, and which pin
 * of this repository installs exactly those CRDs: the one place that says so (and, below, the
 * same for the Kubernetes API definitions of deploy/k8s/test/openapi). vendor-schemas.ts
 * reads these tags, the crds README's table and the vendored files must agree with them, and
 * schema-pins.k8s.test.ts fails when a pin in deploy/argocd/apps/base/addons.yaml or
 * infra/ansible/group_vars/all/versions.yml moves (a Renovate bump) without them.
 *
 * A Helm chart's version is often not the version of the project it installs:
 * kube-prometheus-stack 72.9.1 ships Prometheus Operator v0.82.2, sealed-secrets 2.17.2 ships
 * controller 0.29.0. So each source names both, the chart version (`pin`, what addons.yaml
 * says) and the upstream tag the CRDs were read at (`tag`, the chart's appVersion). After a
 * chart bump, look up the new chart's appVersion (its Chart.yaml), vendor the CRDs at that tag
 * and write both here.
 */

/** What installs a set of CRDs on the cluster. */
export type SchemaInstaller =
  /** An Argo CD Application in addons.yaml; its pin is `spec.source.targetRevision`. */
  | { readonly application: string }
  /** A key of versions.yml (Ansible installs Argo CD itself). */
  | { readonly ansible: string };

export interface CrdSource {
  /** The project, as the crds README's table names it. */
  readonly project: string;
  /** owner/name on GitHub; the vendoring script reads its clone from SOURCES/owner+name/repo. */
  readonly repo: string;
  /** The upstream tag the CRD files were read at. */
  readonly tag: string;
  readonly installedBy: SchemaInstaller;
  /** The chart version (or versions.yml value) whose CRDs are those of `tag`. */
  readonly pin: string;
  /** CRD files in the repository at `tag`. */
  readonly files: readonly string[];
  /** Kinds kept from those files; the rest are dropped to keep the vendored set small. */
  readonly kinds: readonly string[];
}

export const CRD_SOURCES: readonly CrdSource[] = [
  {
    project: 'KEDA',
    repo: 'kedacore/keda',
    tag: 'v2.17.2',
    // The keda chart's version is KEDA's: chart 2.17.2, appVersion 2.17.2.
    installedBy: { application: 'keda' },
    pin: '2.17.2',
    files: [
      'config/crd/bases/keda.sh_scaledobjects.yaml',
      'config/crd/bases/keda.sh_scaledjobs.yaml',
      'config/crd/bases/keda.sh_triggerauthentications.yaml',
      'config/crd/bases/keda.sh_clustertriggerauthentications.yaml',
    ],
    kinds: ['ScaledObject', 'ScaledJob', 'TriggerAuthentication', 'ClusterTriggerAuthentication'],
  },
  {
    project: 'Argo CD',
    repo: 'argoproj/argo-cd',
    tag: 'v3.5.1',
    // Ansible applies manifests/install.yaml of this tag, CRDs included.
    installedBy: { ansible: 'argocd_version' },
    pin: 'v3.5.1',
    files: ['manifests/crds/application-crd.yaml', 'manifests/crds/appproject-crd.yaml'],
    kinds: ['Application', 'AppProject'],
  },
  {
    project: 'Prometheus Operator',
    repo: 'prometheus-operator/prometheus-operator',
    tag: 'v0.82.2',
    // kube-prometheus-stack 72.9.1 has appVersion v0.82.2 and its crds subchart holds that
    // release's CRDs. Every chart release moves the version, most keep the operator's.
    installedBy: { application: 'kube-prometheus-stack' },
    pin: '72.9.1',
    files: [
      'example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml',
      'example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml',
      'example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml',
      'example/prometheus-operator-crd/monitoring.coreos.com_probes.yaml',
      'example/prometheus-operator-crd/monitoring.coreos.com_alertmanagerconfigs.yaml',
    ],
    kinds: ['ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'Probe', 'AlertmanagerConfig'],
  },
  {
    project: 'cert-manager',
    repo: 'cert-manager/cert-manager',
    tag: 'v1.17.2',
    // cert-manager's chart is released with cert-manager, at the same version (v included).
    installedBy: { application: 'cert-manager' },
    pin: 'v1.17.2',
    files: ['deploy/crds/crd-certificates.yaml', 'deploy/crds/crd-clusterissuers.yaml', 'deploy/crds/crd-issuers.yaml'],
    kinds: ['Certificate', 'ClusterIssuer', 'Issuer'],
  },
  {
    project: 'MetalLB',
    repo: 'metallb/metallb',
    tag: 'v0.14.9',
    // charts/metallb is released with MetalLB: chart 0.14.9, appVersion v0.14.9.
    installedBy: { application: 'metallb' },
    pin: '0.14.9',
    files: ['config/crd/bases/metallb.io_ipaddresspools.yaml', 'config/crd/bases/metallb.io_l2advertisements.yaml'],
    kinds: ['IPAddressPool', 'L2Advertisement'],
  },
  {
    project: 'Chaos Mesh',
    repo: 'chaos-mesh/chaos-mesh',
    tag: 'v2.7.2',
    // helm/chaos-mesh is released with Chaos Mesh: chart 2.7.2 installs the v2.7.2 images and CRDs.
    installedBy: { application: 'chaos-mesh' },
    pin: '2.7.2',
    files: ['manifests/crd.yaml'],
    kinds: [
      'PodChaos',
      'NetworkChaos',
      'StressChaos',
      'IOChaos',
      'TimeChaos',
      'DNSChaos',
      'HTTPChaos',
      'Schedule',
      'Workflow',
    ],
  },
];

/**
 * The add-ons of addons.yaml whose CRDs are not vendored, and why. The schema test refuses a
 * kind it has no schema for, so a manifest that starts using one of their kinds fails until
 * its CRDs are vendored and it moves to CRD_SOURCES.
 */
export const ADDONS_WITHOUT_SCHEMAS: Readonly<Record<string, string>> = {
  'ingress-nginx': 'defines no CRDs: the manifests use the built-in Ingress and IngressClass',
  'metrics-server': 'defines no CRDs: it serves the metrics.k8s.io API',
  'local-path-provisioner': 'defines no CRDs: it serves the local-path StorageClass',
  'sealed-secrets':
    'no manifest in the repository is a SealedSecret: each cluster seals its own (docs/kubernetes.md, "Path 2")',
};

/**
 * Where the Kubernetes built-in API definitions (deploy/k8s/test/openapi) come from: the API
 * server's swagger.json as the kubernetes-client/python release of that Kubernetes minor
 * version ships it (client vN is generated from the release-1.N branch, its
 * scripts/constants.py says so). `kubernetes` is that minor version; it must be the minor of
 * `kubernetes_version` in versions.yml, the release the cluster runs, and the Pod Security
 * `*-version` labels of the namespaces name it too.
 */
export interface KubernetesSource {
  /** owner/name on GitHub; the vendoring script reads its clone from SOURCES/owner+name/repo. */
  readonly repo: string;
  /** The upstream tag the definitions were read at. */
  readonly tag: string;
  /** The swagger.json in the repository at `tag`. */
  readonly file: string;
  /** The Kubernetes minor version of the definitions, as "1.34". */
  readonly kubernetes: string;
}

export const KUBERNETES_SOURCE: KubernetesSource = {
  repo: 'kubernetes-client/python',
  tag: 'v34.1.0',
  file: 'kubernetes/swagger.json.unprocessed',
  kubernetes: '1.34',
};

/** The key of versions.yml that pins the Kubernetes release of the cluster. */
export const KUBERNETES_PIN = 'kubernetes_version';

/** Where the vendored Kubernetes API definitions live, relative to the repository root. */
export const OPENAPI_DIR = 'deploy/k8s/test/openapi';

/** Whether a file name in OPENAPI_DIR is a file of definitions (of any minor version). */
export const isOpenapiFileName = (name: string): boolean => /^kubernetes-.*\.json$/.test(name);

/** The vendored definitions of a source, relative to the repository root. */
export const openapiFile = (source: KubernetesSource = KUBERNETES_SOURCE): string =>
  `${OPENAPI_DIR}/kubernetes-${source.kubernetes}.json`;

/** The repository files the pins are read from, relative to its root. */
export const ADDONS_FILE = 'deploy/argocd/apps/base/addons.yaml';
export const VERSIONS_FILE = 'infra/ansible/group_vars/all/versions.yml';
export const CRDS_README = 'deploy/k8s/test/crds/README.md';

/** `owner/name@tag` of every source: what the vendored files name. */
export const vendoredTags = (sources: readonly CrdSource[] = CRD_SOURCES): string[] =>
  sources.map((source) => `${source.repo}@${source.tag}`).sort();
