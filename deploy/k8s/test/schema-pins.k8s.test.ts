/**
 * The vendored schemas are those of the versions the cluster runs: every pin in
 * deploy/argocd/apps/base/addons.yaml and argocd_version in versions.yml is the pin
 * lib/schema-sources.ts vendored the CRD schemas for, and the Kubernetes API definitions and
 * the namespaces' Pod Security version labels are of the minor version of kubernetes_version,
 * so a Renovate bump of a chart, of Argo CD or of Kubernetes fails here until its schemas are
 * vendored again. Each check runs on the repository, then on copies of its texts (or files)
 * with one thing changed, which it must report.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from './lib/render.ts';
import { type CrdSchema, loadCrds } from './lib/schema.ts';
import {
  addonPins,
  type KubernetesInputs,
  kubernetesMinor,
  kubernetesMismatches,
  kubernetesPin,
  openapiMismatches,
  pinMismatches,
  podSecurityMismatches,
  podSecurityVersions,
  readKubernetesInputs,
  readmeMismatches,
  vendoredMismatches,
} from './lib/schema-pins.ts';
import {
  ADDONS_FILE,
  ADDONS_WITHOUT_SCHEMAS,
  CRD_SOURCES,
  CRDS_README,
  type CrdSource,
  KUBERNETES_SOURCE,
  OPENAPI_DIR,
  openapiFile,
  VERSIONS_FILE,
} from './lib/schema-sources.ts';

let addons: string;
let versions: string;
let readme: string;
let crds: CrdSchema[];
let kubernetes: KubernetesInputs;

beforeAll(async () => {
  const read = (file: string) => readFile(join(REPOSITORY_ROOT, file), 'utf8');
  [addons, versions, readme] = await Promise.all([read(ADDONS_FILE), read(VERSIONS_FILE), read(CRDS_README)]);
  crds = loadCrds();
  kubernetes = await readKubernetesInputs(REPOSITORY_ROOT);
});

/** Every problem the Kubernetes version checks find in a checkout. */
const kubernetesProblems = (inputs: KubernetesInputs): string[] => [
  ...kubernetesMismatches(inputs.versions),
  ...openapiMismatches(inputs.openapi),
  ...podSecurityMismatches(inputs.versions, inputs.podSecurity),
];

/** `text` with `from` replaced; fails when `from` is not there, so a fixture never tests nothing. */
const edit = (text: string, from: string | RegExp, to: string): string => {
  const changed = text.replace(from, to);
  expect(changed, `holds ${from}`).not.toBe(text);
  return changed;
};

const source = (project: string): CrdSource => {
  const found = CRD_SOURCES.find((candidate) => candidate.project === project);
  if (found === undefined) throw new Error(`no source ${project}`);
  return found;
};

describe('the vendored CRD schemas', () => {
  it('are of the versions addons.yaml and versions.yml pin', () => {
    expect(pinMismatches({ addons, versions })).toEqual([]);
  });

  it('account for every add-on of addons.yaml: its schemas are vendored, or it needs none', () => {
    const vendored = CRD_SOURCES.flatMap((crdSource) =>
      'application' in crdSource.installedBy ? [crdSource.installedBy.application] : [],
    );
    // Not vacuous: the charts with CRDs the manifests use, and Argo CD from versions.yml.
    expect(vendored).toEqual(
      expect.arrayContaining(['metallb', 'cert-manager', 'keda', 'kube-prometheus-stack', 'chaos-mesh']),
    );
    expect(CRD_SOURCES.filter((crdSource) => 'ansible' in crdSource.installedBy)).toHaveLength(1);
    expect([...addonPins(addons).keys()].sort()).toEqual([...vendored, ...Object.keys(ADDONS_WITHOUT_SCHEMAS)].sort());
  });

  it('are the files of deploy/k8s/test/crds, each of its source tag', () => {
    expect(crds.length).toBeGreaterThanOrEqual(CRD_SOURCES.flatMap((crdSource) => crdSource.kinds).length);
    expect(vendoredMismatches(crds)).toEqual([]);
  });

  it('are listed in the crds README at those versions', () => {
    expect(readmeMismatches(readme)).toEqual([]);
  });
});

describe('the check of the pins reports', () => {
  it('a chart bumped in addons.yaml whose chart version is not the CRDs’ (kube-prometheus-stack)', () => {
    const bumped = edit(addons, 'targetRevision: 72.9.1', 'targetRevision: 73.0.0');
    expect(pinMismatches({ addons: bumped, versions })).toEqual([
      'kube-prometheus-stack: deploy/argocd/apps/base/addons.yaml pins 73.0.0, but the ServiceMonitor, PodMonitor, ' +
        'PrometheusRule, Probe, AlertmanagerConfig schemas in deploy/k8s/test/crds are ' +
        'prometheus-operator/prometheus-operator v0.82.2, vendored for 72.9.1. Vendor the CRDs of the release ' +
        '73.0.0 installs (deploy/k8s/test/vendor-schemas.ts) and record the pin and tag in ' +
        'deploy/k8s/test/lib/schema-sources.ts',
    ]);
  });

  it.each([
    ['MetalLB', 'targetRevision: 0.14.9', 'targetRevision: 0.15.2', 'metallb', '0.15.2'],
    ['KEDA', 'targetRevision: 2.17.2\n    chart: keda', 'targetRevision: 2.18.0\n    chart: keda', 'keda', '2.18.0'],
    ['cert-manager', 'targetRevision: v1.17.2', 'targetRevision: v1.18.0', 'cert-manager', 'v1.18.0'],
    ['Chaos Mesh', 'targetRevision: 2.7.2', 'targetRevision: 2.7.3', 'chaos-mesh', '2.7.3'],
  ])('a %s chart bumped in addons.yaml', (project, from, to, addon, pin) => {
    const crdSource = source(project);
    expect(pinMismatches({ addons: edit(addons, from, to), versions })).toEqual([
      expect.stringContaining(
        `${addon}: deploy/argocd/apps/base/addons.yaml pins ${pin}, but the ${crdSource.kinds.join(', ')} schemas ` +
          `in deploy/k8s/test/crds are ${crdSource.repo} ${crdSource.tag}, vendored for ${crdSource.pin}.`,
      ),
    ]);
  });

  it('argocd_version moved in versions.yml', () => {
    const bumped = edit(versions, /^argocd_version: .*$/m, 'argocd_version: "v3.3.0"');
    expect(pinMismatches({ addons, versions: bumped })).toEqual([
      'Argo CD (argocd_version): infra/ansible/group_vars/all/versions.yml pins v3.3.0, but the Application, ' +
        'AppProject schemas in deploy/k8s/test/crds are argoproj/argo-cd v3.5.1, vendored for v3.5.1. Vendor the ' +
        'CRDs of the release v3.3.0 installs (deploy/k8s/test/vendor-schemas.ts) and record the pin and tag in ' +
        'deploy/k8s/test/lib/schema-sources.ts',
    ]);
  });

  it('argocd_version gone from versions.yml', () => {
    const removed = edit(versions, /^argocd_version: .*$/m, '');
    expect(pinMismatches({ addons, versions: removed })).toEqual([
      expect.stringMatching(
        /^Argo CD \(argocd_version\): infra\/ansible\/group_vars\/all\/versions\.yml pins no version,/,
      ),
    ]);
  });

  it('an add-on added to addons.yaml that lib/schema-sources.ts does not account for', () => {
    const added =
      `${addons}---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: external-dns\n` +
      '  namespace: argocd\nspec:\n  project: platform\n  source:\n' +
      '    repoURL: https://kubernetes-sigs.github.io/external-dns\n    targetRevision: 1.16.1\n' +
      '    chart: external-dns\n';
    expect(pinMismatches({ addons: added, versions })).toEqual([
      'external-dns: deploy/argocd/apps/base/addons.yaml installs it at 1.16.1, but ' +
        'deploy/k8s/test/lib/schema-sources.ts neither vendors its CRD schemas (CRD_SOURCES) nor says why it ' +
        'needs none (ADDONS_WITHOUT_SCHEMAS)',
    ]);
  });

  it('an Application lib/schema-sources.ts names that addons.yaml no longer has', () => {
    const renamed = edit(addons, 'name: keda\n', 'name: autoscaler\n');
    expect(pinMismatches({ addons: renamed, versions })).toEqual([
      'keda: deploy/k8s/test/lib/schema-sources.ts has the ScaledObject, ScaledJob, TriggerAuthentication, ' +
        'ClusterTriggerAuthentication schemas installed by the Application keda, which ' +
        'deploy/argocd/apps/base/addons.yaml does not have',
      expect.stringMatching(/^autoscaler: .* installs it at 2\.17\.2, but .* neither vendors/),
    ]);
  });

  it('an add-on listed as needing no schemas that addons.yaml does not have', () => {
    expect(
      pinMismatches({ addons, versions }, CRD_SOURCES, { ...ADDONS_WITHOUT_SCHEMAS, 'external-dns': 'none' }),
    ).toEqual([
      'external-dns: deploy/k8s/test/lib/schema-sources.ts lists it among the add-ons without schemas, but ' +
        'deploy/argocd/apps/base/addons.yaml has no such Application',
    ]);
  });
});

describe('the check of the vendored files and the README reports', () => {
  it('a schema file of another tag than its source', () => {
    const stale = crds.map((crd) =>
      crd.kind === 'ScaledObject' ? { ...crd, source: { ...crd.source, tag: 'v2.16.0' } } : crd,
    );
    expect(vendoredMismatches(stale)).toEqual([
      'deploy/k8s/test/crds holds ScaledObject from kedacore/keda v2.16.0, but deploy/k8s/test/lib/schema-sources.ts says v2.17.2',
    ]);
  });

  it('a kind of a source without its schema file, and a schema file of no source', () => {
    const moved = crds.map((crd) =>
      crd.kind === 'Probe' ? { ...crd, source: { ...crd.source, repo: 'prometheus-operator/kube-prometheus' } } : crd,
    );
    expect(vendoredMismatches(moved)).toEqual([
      'deploy/k8s/test/crds has no schema of Probe from prometheus-operator/prometheus-operator v0.82.2',
      'deploy/k8s/test/crds holds Probe from prometheus-operator/kube-prometheus v0.82.2, which ' +
        'deploy/k8s/test/lib/schema-sources.ts does not list',
    ]);
  });

  it('a README row at another version, or without the chart version a chart pin differs by', () => {
    const stale = edit(readme, '| v2.17.2 | ScaledObject', '| v2.16.0 | ScaledObject');
    const withoutChart = edit(readme, 'v0.82.2 (kube-prometheus-stack 72.9.1)', 'v0.82.2');
    expect(readmeMismatches(stale)).toEqual([
      'deploy/k8s/test/crds/README.md gives KEDA as "v2.16.0", but deploy/k8s/test/lib/schema-sources.ts says "v2.17.2"',
    ]);
    expect(readmeMismatches(withoutChart)).toEqual([
      'deploy/k8s/test/crds/README.md gives Prometheus Operator as "v0.82.2", but ' +
        'deploy/k8s/test/lib/schema-sources.ts says "v0.82.2 (kube-prometheus-stack 72.9.1)"',
    ]);
  });

  it('a README row of a project not vendored, or a project without a row', () => {
    const extra = edit(
      readme,
      /^(\| \[Chaos Mesh\].*)$/m,
      '$1\n| [Sealed Secrets](https://github.com/bitnami-labs/sealed-secrets) | v0.29.0 | SealedSecret | Apache-2.0 |',
    );
    expect(readmeMismatches(extra)).toEqual([
      'deploy/k8s/test/crds/README.md has a row for Sealed Secrets (github.com/bitnami-labs/sealed-secrets), ' +
        'which deploy/k8s/test/lib/schema-sources.ts does not vendor',
    ]);
    const missing = edit(readme, /^\| \[MetalLB\].*\n/m, '');
    expect(readmeMismatches(missing)).toEqual([
      'deploy/k8s/test/crds/README.md has no row for MetalLB (github.com/metallb/metallb)',
    ]);
  });
});

describe('the Kubernetes API definitions and the Pod Security version labels', () => {
  it('are of the minor version of kubernetes_version in versions.yml', () => {
    const pinned = kubernetesPin(versions);
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(kubernetesMinor(pinned ?? '')).toBe(KUBERNETES_SOURCE.kubernetes);
    expect(kubernetesMismatches(versions)).toEqual([]);
  });

  it('are the one definitions file lib/schema-sources.ts names, of its source', () => {
    expect(kubernetes.openapi.map((file) => file.path)).toEqual([openapiFile()]);
    expect(openapiMismatches(kubernetes.openapi)).toEqual([]);
  });

  it('label both tenant namespaces for enforce, audit and warn at that version', () => {
    const labelled = kubernetes.podSecurity.flatMap((file) =>
      podSecurityVersions(file.text).map(({ label }) => `${file.path} ${label}`),
    );
    // Not vacuous: the scan finds the tenants' labels.
    for (const tenant of ['memelab', 'healthcare']) {
      for (const mode of ['enforce', 'audit', 'warn']) {
        expect(labelled).toContain(
          `deploy/k8s/base/${tenant}/namespace/namespace.yaml pod-security.kubernetes.io/${mode}-version`,
        );
      }
    }
    expect(podSecurityMismatches(versions, kubernetes.podSecurity)).toEqual([]);
  });
});

describe('the check of the Kubernetes version reports', () => {
  it('kubernetes_version moved to another minor in a copy of the checkout', async () => {
    const root = await mkdtemp(join(tmpdir(), 'memelab-kubernetes-pin-'));
    try {
      const copy = async (path: string, text?: string) => {
        await mkdir(dirname(join(root, path)), { recursive: true });
        if (text === undefined) await cp(join(REPOSITORY_ROOT, path), join(root, path), { recursive: true });
        else await writeFile(join(root, path), text);
      };
      await copy(VERSIONS_FILE, edit(versions, /^kubernetes_version: .*$/m, 'kubernetes_version: "1.35.2"'));
      await copy(OPENAPI_DIR);
      for (const file of kubernetes.podSecurity) await copy(file.path);
      const problems = kubernetesProblems(await readKubernetesInputs(root));
      expect(problems).toEqual([
        'kubernetes_version: infra/ansible/group_vars/all/versions.yml pins 1.35.2, but the Kubernetes API ' +
          'definitions in deploy/k8s/test/openapi/kubernetes-1.34.json are of Kubernetes 1.34 ' +
          '(kubernetes-client/python v34.1.0). Vendor the definitions of Kubernetes 1.35 (the ' +
          'kubernetes-client/python v35 release) with deploy/k8s/test/vendor-schemas.ts, record its tag and minor ' +
          'version in KUBERNETES_SOURCE of deploy/k8s/test/lib/schema-sources.ts, and set the Pod Security ' +
          '*-version labels of the namespaces to v1.35',
        // One per label, in file order: each tenant's namespace.yaml, enforce, audit, warn.
        ...['healthcare', 'memelab'].flatMap((tenant) =>
          ['enforce', 'audit', 'warn'].map(
            (mode) =>
              `deploy/k8s/base/${tenant}/namespace/namespace.yaml: pod-security.kubernetes.io/${mode}-version is ` +
              'v1.34, but infra/ansible/group_vars/all/versions.yml pins kubernetes_version 1.35.2: set it to v1.35 ' +
              "once the pods pass that version's Pod Security policy (the pss-* rules of deploy/k8s/test/lib/policy.ts)",
          ),
        ),
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('a patch release of the same minor is no mismatch', () => {
    const patched = edit(versions, /^kubernetes_version: .*$/m, 'kubernetes_version: "1.34.9"');
    expect(kubernetesProblems({ ...kubernetes, versions: patched })).toEqual([]);
  });

  it('kubernetes_version gone from versions.yml', () => {
    const removed = edit(versions, /^kubernetes_version: .*$/m, '');
    expect(kubernetesProblems({ ...kubernetes, versions: removed })).toEqual([
      expect.stringMatching(
        /^kubernetes_version: infra\/ansible\/group_vars\/all\/versions\.yml pins no version, but .* Vendor the definitions of the release it installs/,
      ),
    ]);
  });

  it('a kubernetes-client/python tag of another minor version than schema-sources.ts says', () => {
    expect(kubernetesMismatches(versions, { ...KUBERNETES_SOURCE, tag: 'v35.0.0' })).toEqual([
      'deploy/k8s/test/lib/schema-sources.ts reads the Kubernetes API definitions at kubernetes-client/python ' +
        'v35.0.0, the client of Kubernetes 1.35, but says they are of 1.34',
    ]);
  });

  it('a definitions file of another tag, and the previous minor version’s file left beside it', () => {
    const [current] = kubernetes.openapi;
    if (current === undefined) throw new Error('no definitions file');
    const stale = { ...current, source: { ...current.source, tag: 'v34.0.0' } };
    const leftover = { ...current, path: 'deploy/k8s/test/openapi/kubernetes-1.33.json', kubernetes: '1.33' };
    expect(openapiMismatches([leftover, stale])).toEqual([
      'deploy/k8s/test/openapi/kubernetes-1.34.json holds kubernetes-client/python v34.0.0 ' +
        'kubernetes/swagger.json.unprocessed (Kubernetes 1.34), but deploy/k8s/test/lib/schema-sources.ts says ' +
        'kubernetes-client/python v34.1.0 kubernetes/swagger.json.unprocessed (Kubernetes 1.34): vendor it again ' +
        'with deploy/k8s/test/vendor-schemas.ts',
      'deploy/k8s/test/openapi/kubernetes-1.33.json is not the file deploy/k8s/test/lib/schema-sources.ts names ' +
        '(deploy/k8s/test/openapi/kubernetes-1.34.json): remove it',
    ]);
    expect(openapiMismatches([leftover])).toEqual([
      'deploy/k8s/test/openapi/kubernetes-1.34.json is missing: vendor the definitions of Kubernetes 1.34 ' +
        '(kubernetes-client/python v34.1.0) with deploy/k8s/test/vendor-schemas.ts',
      expect.stringContaining('kubernetes-1.33.json is not the file'),
    ]);
  });

  it('one Pod Security label left at the previous version', () => {
    const files = kubernetes.podSecurity.map((file) =>
      file.path.includes('/memelab/')
        ? { ...file, text: edit(file.text, 'warn-version: v1.34', 'warn-version: "v1.33"') }
        : file,
    );
    expect(podSecurityMismatches(versions, files)).toEqual([
      'deploy/k8s/base/memelab/namespace/namespace.yaml: pod-security.kubernetes.io/warn-version is v1.33, but ' +
        'infra/ansible/group_vars/all/versions.yml pins kubernetes_version 1.34.7: set it to v1.34 once the pods ' +
        "pass that version's Pod Security policy (the pss-* rules of deploy/k8s/test/lib/policy.ts)",
    ]);
  });
});
