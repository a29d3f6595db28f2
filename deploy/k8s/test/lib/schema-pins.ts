/**
 * Whether the vendored CRD schemas are those of the versions the cluster installs: the pins in
 * addons.yaml and versions.yml against lib/schema-sources.ts, and that file against the
 * vendored JSON files and the crds README. Each check takes the texts it reads and returns
 * one message per problem, so a test can run it on the repository and on broken copies.
 */
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import type { CrdSchema } from './schema.ts';
import {
  ADDONS_FILE,
  ADDONS_WITHOUT_SCHEMAS,
  CRD_SOURCES,
  CRDS_README,
  type CrdSource,
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
