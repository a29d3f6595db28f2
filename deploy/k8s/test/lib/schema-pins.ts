/**
 * Whether the vendored schemas are those of the versions the cluster installs: the pins in
 * addons.yaml and versions.yml against lib/schema-sources.ts, and that file against the
 * vendored JSON files and the crds README; `kubernetes_version` against the Kubernetes API
 * definitions and the Pod Security version labels. Each check takes the texts it reads and
 * returns one message per problem, so a test can run it on the repository and on broken copies.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import type { CrdSchema } from './schema.ts';
import {
  ADDONS_FILE,
  ADDONS_WITHOUT_SCHEMAS,
  CRD_SOURCES,
  CRDS_README,
  type CrdSource,
  isOpenapiFileName,
  KUBERNETES_PIN,
  KUBERNETES_SOURCE,
  type KubernetesSource,
  OPENAPI_DIR,
  openapiFile,
  VERSIONS_FILE,
} from './schema-sources.ts';

const SOURCES_FILE = 'deploy/k8s/test/lib/schema-sources.ts';
const VENDOR_SCRIPT = 'deploy/k8s/test/vendor-schemas.ts';

interface Application {
  kind?: string;
  metadata?: { name?: string };
  spec?: { source?: { targetRevision?: unknown } };
}

/** The targetRevision of every Application in an addons.yaml text, by Application name. */
export const addonPins = (addons: string): Map<string, string | undefined> => {
  const pins = new Map<string, string | undefined>();
  for (const document of parseAllDocuments(addons)) {
    const app = document.toJS() as Application | null;
    if (app?.kind !== 'Application' || app.metadata?.name === undefined) continue;
    const revision = app.spec?.source?.targetRevision;
    pins.set(app.metadata.name, revision === undefined ? undefined : String(revision));
  }
  return pins;
};

const applicationOf = (source: CrdSource): string | undefined =>
  'application' in source.installedBy ? source.installedBy.application : undefined;

const bare = (version: string): string => version.replace(/^v/, '');

/**
 * A problem for every source whose pin has moved away from the version its schemas were
 * vendored for, and for every add-on of addons.yaml that lib/schema-sources.ts does not
 * account for (or accounts for but addons.yaml does not have).
 */
export const pinMismatches = (
  inputs: { readonly addons: string; readonly versions: string },
  sources: readonly CrdSource[] = CRD_SOURCES,
  withoutSchemas: Readonly<Record<string, string>> = ADDONS_WITHOUT_SCHEMAS,
): string[] => {
  const applications = addonPins(inputs.addons);
  const versions = (parseYaml(inputs.versions) ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  for (const source of sources) {
    const kinds = source.kinds.join(', ');
    let addon: string;
    let file: string;
    let pinned: string | undefined;
    if ('application' in source.installedBy) {
      addon = source.installedBy.application;
      file = ADDONS_FILE;
      if (!applications.has(addon)) {
        problems.push(
          `${addon}: ${SOURCES_FILE} has the ${kinds} schemas installed by the Application ${addon}, ` +
            `which ${ADDONS_FILE} does not have`,
        );
        continue;
      }
      pinned = applications.get(addon);
    } else {
      addon = `${source.project} (${source.installedBy.ansible})`;
      file = VERSIONS_FILE;
      const value = versions[source.installedBy.ansible];
      pinned = value === undefined || value === null ? undefined : String(value);
    }
    if (pinned === source.pin) continue;
    problems.push(
      `${addon}: ${file} pins ${pinned ?? 'no version'}, but the ${kinds} schemas in deploy/k8s/test/crds are ` +
        `${source.repo} ${source.tag}, vendored for ${source.pin}. Vendor the CRDs of the release ${pinned ?? 'it'} ` +
        `installs (${VENDOR_SCRIPT}) and record the pin and tag in ${SOURCES_FILE}`,
    );
  }
  const mapped = new Set(sources.map(applicationOf).filter((name): name is string => name !== undefined));
  for (const name of applications.keys()) {
    if (mapped.has(name) && name in withoutSchemas) {
      problems.push(`${name}: ${SOURCES_FILE} has schemas for it and lists it among the add-ons without`);
    } else if (!mapped.has(name) && !(name in withoutSchemas)) {
      problems.push(
        `${name}: ${ADDONS_FILE} installs it at ${applications.get(name) ?? 'no version'}, but ${SOURCES_FILE} ` +
          'neither vendors its CRD schemas (CRD_SOURCES) nor says why it needs none (ADDONS_WITHOUT_SCHEMAS)',
      );
    }
  }
  for (const name of Object.keys(withoutSchemas)) {
    if (!applications.has(name)) {
      problems.push(
        `${name}: ${SOURCES_FILE} lists it among the add-ons without schemas, but ${ADDONS_FILE} has no such Application`,
      );
    }
  }
  return problems;
};

/**
 * The version cell of a source's row in the crds README: the tag, followed by the chart and
 * its version when the chart is versioned apart from the project.
 */
export const readmeVersion = (source: CrdSource): string => {
  const application = applicationOf(source);
  return application === undefined || bare(source.pin) === bare(source.tag)
    ? source.tag
    : `${source.tag} (${application} ${source.pin})`;
};

/** Rows of the crds README's table that disagree with the sources, and sources it lacks. */
export const readmeMismatches = (readme: string, sources: readonly CrdSource[] = CRD_SOURCES): string[] => {
  const rows = [
    ...readme.matchAll(/^\|\s*\[([^\]]+)\]\(https:\/\/github\.com\/([^)\s]+)\)\s*\|([^|]*)\|([^|]*)\|/gm),
  ].map((match) => ({
    project: match[1] ?? '',
    repo: match[2] ?? '',
    version: (match[3] ?? '').trim(),
    kinds: (match[4] ?? '')
      .split(',')
      .map((kind) => kind.trim())
      .filter(Boolean)
      .sort(),
  }));
  const problems: string[] = [];
  for (const source of sources) {
    const row = rows.find((candidate) => candidate.repo === source.repo);
    if (row === undefined) {
      problems.push(`${CRDS_README} has no row for ${source.project} (github.com/${source.repo})`);
      continue;
    }
    const version = readmeVersion(source);
    if (row.version !== version) {
      problems.push(
        `${CRDS_README} gives ${source.project} as "${row.version}", but ${SOURCES_FILE} says "${version}"`,
      );
    }
    const kinds = [...source.kinds].sort();
    if (row.kinds.join(', ') !== kinds.join(', ')) {
      problems.push(
        `${CRDS_README} lists ${row.kinds.join(', ')} for ${source.project}, but ${SOURCES_FILE} vendors ${kinds.join(', ')}`,
      );
    }
  }
  for (const row of rows) {
    if (!sources.some((source) => source.repo === row.repo)) {
      problems.push(
        `${CRDS_README} has a row for ${row.project} (github.com/${row.repo}), which ${SOURCES_FILE} does not vendor`,
      );
    }
  }
  return problems;
};

/** Vendored schema files of another tag than their source's, missing, or of no source. */
export const vendoredMismatches = (
  crds: readonly CrdSchema[],
  sources: readonly CrdSource[] = CRD_SOURCES,
): string[] => {
  const problems: string[] = [];
  for (const source of sources) {
    for (const kind of source.kinds) {
      const found = crds.filter((crd) => crd.kind === kind && crd.source.repo === source.repo);
      if (found.length === 0) {
        problems.push(`deploy/k8s/test/crds has no schema of ${kind} from ${source.repo} ${source.tag}`);
      }
      for (const crd of found.filter((candidate) => candidate.source.tag !== source.tag)) {
        problems.push(
          `deploy/k8s/test/crds holds ${crd.kind} from ${crd.source.repo} ${crd.source.tag}, but ${SOURCES_FILE} says ${source.tag}`,
        );
      }
    }
  }
  for (const crd of crds) {
    if (!sources.some((source) => source.repo === crd.source.repo && source.kinds.includes(crd.kind))) {
      problems.push(
        `deploy/k8s/test/crds holds ${crd.kind} from ${crd.source.repo} ${crd.source.tag}, which ${SOURCES_FILE} does not list`,
      );
    }
  }
  return problems;
};

/** The minor version ("1.34") of a Kubernetes version such as "1.34.7" or "v1.34.7". */
export const kubernetesMinor = (version: string): string | undefined => /^v?(\d+\.\d+)(\.|$)/.exec(version)?.[1];

/** `kubernetes_version` of a versions.yml text, or undefined when it has none. */
export const kubernetesPin = (versions: string): string | undefined => {
  const value = ((parseYaml(versions) ?? {}) as Record<string, unknown>)[KUBERNETES_PIN];
  return value === undefined || value === null ? undefined : String(value);
};

/** `kubernetes_version` of a versions.yml text and its minor version, each undefined when absent. */
const pinnedKubernetes = (versions: string): { pinned?: string; minor?: string } => {
  const pinned = kubernetesPin(versions);
  return { pinned, minor: pinned === undefined ? undefined : kubernetesMinor(pinned) };
};

const describeSource = (source: KubernetesSource): string =>
  `Kubernetes ${source.kubernetes} (${source.repo} ${source.tag})`;

/**
 * A problem when the Kubernetes API definitions are not of the minor version of
 * `kubernetes_version` (a Renovate bump to a new minor that left them behind), and when
 * lib/schema-sources.ts names a kubernetes-client/python tag of another minor version than it
 * says (client vN is generated from Kubernetes release-1.N).
 */
export const kubernetesMismatches = (versions: string, source: KubernetesSource = KUBERNETES_SOURCE): string[] => {
  const problems: string[] = [];
  if (source.repo === 'kubernetes-client/python') {
    const major = /^v(\d+)\./.exec(source.tag)?.[1];
    if (major === undefined || `1.${major}` !== source.kubernetes) {
      problems.push(
        `${SOURCES_FILE} reads the Kubernetes API definitions at ${source.repo} ${source.tag}, ` +
          `${major === undefined ? 'not a release tag' : `the client of Kubernetes 1.${major}`}, but says they are of ${source.kubernetes}`,
      );
    }
  }
  const { pinned, minor } = pinnedKubernetes(versions);
  if (minor === source.kubernetes) return problems;
  const target = minor === undefined ? 'the release it installs' : `Kubernetes ${minor}`;
  problems.push(
    `${KUBERNETES_PIN}: ${VERSIONS_FILE} pins ${pinned ?? 'no version'}, but the Kubernetes API definitions in ` +
      `${openapiFile(source)} are of ${describeSource(source)}. Vendor the definitions of ${target}` +
      `${minor === undefined || source.repo !== 'kubernetes-client/python' ? '' : ` (the ${source.repo} v${minor.split('.')[1]} release)`} with ${VENDOR_SCRIPT}, ` +
      `record its tag and minor version in KUBERNETES_SOURCE of ${SOURCES_FILE}, and set the Pod Security ` +
      `*-version labels of the namespaces to v${minor ?? 'that minor version'}`,
  );
  return problems;
};

/** A vendored file of Kubernetes API definitions, as lib/schema.ts reads it. */
export interface OpenapiFile {
  /** Relative to the repository root. */
  readonly path: string;
  readonly source?: { readonly repo?: string; readonly tag?: string; readonly file?: string };
  readonly kubernetes?: string;
}

/**
 * The file KUBERNETES_SOURCE names missing or of another source, and any other definitions
 * file beside it (a leftover of the previous minor version).
 */
export const openapiMismatches = (
  files: readonly OpenapiFile[],
  source: KubernetesSource = KUBERNETES_SOURCE,
): string[] => {
  const expected = openapiFile(source);
  const problems: string[] = [];
  const found = files.find((file) => file.path === expected);
  if (found === undefined) {
    problems.push(`${expected} is missing: vendor the definitions of ${describeSource(source)} with ${VENDOR_SCRIPT}`);
  } else if (
    found.source?.repo !== source.repo ||
    found.source.tag !== source.tag ||
    found.source.file !== source.file ||
    found.kubernetes !== source.kubernetes
  ) {
    problems.push(
      `${expected} holds ${found.source?.repo ?? 'an unnamed source'} ${found.source?.tag ?? ''} ` +
        `${found.source?.file ?? ''} (Kubernetes ${found.kubernetes ?? 'of no version'}), but ${SOURCES_FILE} says ` +
        `${source.repo} ${source.tag} ${source.file} (Kubernetes ${source.kubernetes}): vendor it again with ${VENDOR_SCRIPT}`,
    );
  }
  for (const file of files) {
    if (file.path !== expected) {
      problems.push(`${file.path} is not the file ${SOURCES_FILE} names (${expected}): remove it`);
    }
  }
  return problems;
};

const POD_SECURITY_VERSION = /^\s*(pod-security\.kubernetes\.io\/(?:enforce|audit|warn)-version):\s*["']?([^"'\s#]*)/gm;

/** Every Pod Security `*-version` label of a text, with its value. */
export const podSecurityVersions = (text: string): { label: string; version: string }[] =>
  [...text.matchAll(POD_SECURITY_VERSION)].map((match) => ({ label: match[1] ?? '', version: match[2] ?? '' }));

/**
 * Every Pod Security `*-version` label of the given files (path relative to the repository
 * root, and text) that is not `v` and the minor version of `kubernetes_version`: a namespace
 * then admits its pods by another release's policy than the one the cluster runs.
 */
export const podSecurityMismatches = (
  versions: string,
  files: readonly { readonly path: string; readonly text: string }[],
): string[] => {
  const { pinned, minor } = pinnedKubernetes(versions);
  // kubernetesMismatches reports a missing or unreadable kubernetes_version.
  if (minor === undefined) return [];
  return files.flatMap((file) =>
    podSecurityVersions(file.text)
      .filter(({ version }) => version !== `v${minor}`)
      .map(
        ({ label, version }) =>
          `${file.path}: ${label} is ${version || 'empty'}, but ${VERSIONS_FILE} pins ${KUBERNETES_PIN} ${pinned}: ` +
          `set it to v${minor} once the pods pass that version's Pod Security policy (the pss-* rules of ` +
          'deploy/k8s/test/lib/policy.ts)',
      ),
  );
};

/** Where namespaces (and Argo CD's managed namespace metadata) carry Pod Security labels. */
export const POD_SECURITY_DIRS = ['deploy/k8s', 'deploy/argocd'] as const;

/** What the Kubernetes version checks read, from a checkout rooted at `root`. */
export interface KubernetesInputs {
  readonly versions: string;
  readonly openapi: OpenapiFile[];
  readonly podSecurity: { path: string; text: string }[];
}

export const readKubernetesInputs = async (root: string): Promise<KubernetesInputs> => {
  const openapi = await Promise.all(
    (await readdir(join(root, OPENAPI_DIR)))
      .filter(isOpenapiFileName)
      .sort()
      .map(async (name) => {
        const { source, kubernetes } = JSON.parse(await readFile(join(root, OPENAPI_DIR, name), 'utf8')) as Omit<
          OpenapiFile,
          'path'
        >;
        return { path: `${OPENAPI_DIR}/${name}`, source, kubernetes };
      }),
  );
  const podSecurity: { path: string; text: string }[] = [];
  for (const dir of POD_SECURITY_DIRS) {
    const names = (await readdir(join(root, dir), { recursive: true })).filter((name) => /\.ya?ml$/.test(name)).sort();
    for (const name of names) {
      const text = await readFile(join(root, dir, name), 'utf8');
      if (text.includes('pod-security.kubernetes.io/')) podSecurity.push({ path: `${dir}/${name}`, text });
    }
  }
  return { versions: await readFile(join(root, VERSIONS_FILE), 'utf8'), openapi, podSecurity };
};
