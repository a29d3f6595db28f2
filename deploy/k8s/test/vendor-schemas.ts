/**
 * Writes the schemas the Kubernetes suite validates against, from the upstream sources:
 *
 *   npx tsx deploy/k8s/test/vendor-schemas.ts SOURCES_DIR [kubernetes|crds [OWNER/NAME]]
 *
 * SOURCES_DIR holds one bare git clone per project, named owner+name/repo (for example
 * kedacore+keda/repo). Every file is read at its tag with `git show TAG:PATH`, so the output
 * depends on the tags (KUBERNETES_SOURCE and CRD_SOURCES in lib/schema-sources.ts, with the
 * pins of this repository each must match) and nothing else. The optional second argument
 * writes only one of the two sets, so a Kubernetes upgrade needs no clone of the add-ons; a
 * third, with `crds`, only the CRDs of one repository, so a bump of one add-on needs its clone alone.
 *
 * - openapi/kubernetes-MINOR.json: the OpenAPI definitions of the Kubernetes minor version
 *   of KUBERNETES_SOURCE (kubernetes-client/python vN ships the swagger.json of the API
 *   server of Kubernetes 1.N), cut down to the kinds listed in KUBERNETES_KINDS and what
 *   they reference, without descriptions. The file it replaces is removed.
 * - crds/*.json: the openAPIV3Schema of every served version of each custom
 *   resource kind of CRD_SOURCES, without descriptions.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPOSITORY_ROOT } from './lib/render.ts';
import { CRD_SOURCES, isOpenapiFileName, KUBERNETES_SOURCE, OPENAPI_DIR, openapiFile } from './lib/schema-sources.ts';

/** Definitions of the kinds a tenant overlay, an add-on or a test fixture can contain. */
export const KUBERNETES_KINDS = [
  'io.k8s.api.core.v1.Namespace',
  'io.k8s.api.core.v1.ConfigMap',
  'io.k8s.api.core.v1.Secret',
  'io.k8s.api.core.v1.Service',
  'io.k8s.api.core.v1.ServiceAccount',
  'io.k8s.api.core.v1.Pod',
  'io.k8s.api.core.v1.PersistentVolumeClaim',
  'io.k8s.api.core.v1.LimitRange',
  'io.k8s.api.core.v1.ResourceQuota',
  'io.k8s.api.apps.v1.Deployment',
  'io.k8s.api.apps.v1.StatefulSet',
  'io.k8s.api.apps.v1.DaemonSet',
  'io.k8s.api.batch.v1.Job',
  'io.k8s.api.batch.v1.CronJob',
  'io.k8s.api.networking.v1.Ingress',
  'io.k8s.api.networking.v1.IngressClass',
  'io.k8s.api.networking.v1.NetworkPolicy',
  'io.k8s.api.policy.v1.PodDisruptionBudget',
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  'io.k8s.api.rbac.v1.Role',
  'io.k8s.api.rbac.v1.RoleBinding',
  'io.k8s.api.rbac.v1.ClusterRole',
  'io.k8s.api.rbac.v1.ClusterRoleBinding',
  'io.k8s.api.storage.v1.StorageClass',
  'io.k8s.api.scheduling.v1.PriorityClass',
] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Drops `description` (and `example`) keys everywhere: they are most of the bytes. */
const stripDocs = (value: Json, parentKey = ''): Json => {
  if (Array.isArray(value)) return value.map((item) => stripDocs(item));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [key, child] of Object.entries(value)) {
    // Under `properties` every key is a field name, including fields named "description".
    if (parentKey !== 'properties' && (key === 'description' || key === 'example')) continue;
    out[key] = stripDocs(child, key);
  }
  return out;
};

/** A file of `repo` (owner/name) at `tag`, from its clone at SOURCES/owner+name/repo. */
const gitShow = (sources: string, repo: string, tag: string, path: string): string =>
  execFileSync('git', ['--git-dir', join(sources, repo.replace('/', '+'), 'repo'), 'show', `${tag}:${path}`], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });

const collectRefs = (value: unknown, into: Set<string>): void => {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') into.add(child.replace('#/definitions/', ''));
      else collectRefs(child, into);
    }
  }
};

const here = import.meta.dirname;

const vendorKubernetes = (sources: string): void => {
  const openapiDir = join(REPOSITORY_ROOT, OPENAPI_DIR);
  mkdirSync(openapiDir, { recursive: true });
  const swagger = JSON.parse(
    gitShow(sources, KUBERNETES_SOURCE.repo, KUBERNETES_SOURCE.tag, KUBERNETES_SOURCE.file),
  ) as {
    definitions: Record<string, Json>;
  };
  const keep = new Set<string>();
  const queue: string[] = [...KUBERNETES_KINDS];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (keep.has(name)) continue;
    const definition = swagger.definitions[name];
    if (definition === undefined) throw new Error(`no definition ${name}`);
    keep.add(name);
    const refs = new Set<string>();
    collectRefs(definition, refs);
    queue.push(...refs);
  }
  const definitions = Object.fromEntries(
    [...keep].sort().map((name) => [name, stripDocs(swagger.definitions[name] as Json)]),
  );
  const { repo, tag, file, kubernetes } = KUBERNETES_SOURCE;
  for (const name of readdirSync(openapiDir)) {
    if (isOpenapiFileName(name)) rmSync(join(openapiDir, name));
  }
  writeFileSync(
    join(REPOSITORY_ROOT, openapiFile()),
    `${JSON.stringify({ source: { repo, tag, file }, kubernetes, roots: KUBERNETES_KINDS, definitions })}\n`,
  );
};

const vendorCrds = (sources: string, repo?: string): void => {
  mkdirSync(join(here, 'crds'), { recursive: true });
  for (const source of CRD_SOURCES.filter((candidate) => repo === undefined || candidate.repo === repo)) {
    for (const file of source.files) {
      for (const document of parseAllDocuments(gitShow(sources, source.repo, source.tag, file))) {
        const crd = document.toJSON() as {
          kind?: string;
          spec?: {
            group: string;
            names: { kind: string; plural: string };
            scope: string;
            versions: { name: string; served: boolean; schema?: { openAPIV3Schema: Json } }[];
          };
        } | null;
        if (crd?.kind !== 'CustomResourceDefinition' || crd.spec === undefined) continue;
        if (!source.kinds.includes(crd.spec.names.kind)) continue;
        const versions = Object.fromEntries(
          crd.spec.versions
            .filter((version) => version.served && version.schema !== undefined)
            .map((version) => [version.name, stripDocs(version.schema?.openAPIV3Schema ?? null)]),
        );
        const name = `${crd.spec.names.plural}.${crd.spec.group}`;
        writeFileSync(
          join(here, 'crds', `${name}.json`),
          `${JSON.stringify({ source: { repo: source.repo, tag: source.tag, file }, group: crd.spec.group, kind: crd.spec.names.kind, scope: crd.spec.scope, versions })}\n`,
        );
      }
    }
  }
};

const [sources, only, repo] = process.argv.slice(2);
if (
  sources === undefined ||
  (only !== undefined && only !== 'kubernetes' && only !== 'crds') ||
  (repo !== undefined && only !== 'crds')
) {
  process.stderr.write('usage: tsx deploy/k8s/test/vendor-schemas.ts SOURCES_DIR [kubernetes|crds [OWNER/NAME]]\n');
  process.exit(2);
}
if (repo !== undefined && !CRD_SOURCES.some((source) => source.repo === repo)) {
  process.stderr.write(
    `no CRD source in lib/schema-sources.ts is ${repo}; they are ${CRD_SOURCES.map((source) => source.repo).join(', ')}\n`,
  );
  process.exit(2);
}
if (only !== 'crds') vendorKubernetes(sources);
if (only !== 'kubernetes') vendorCrds(sources, repo);
