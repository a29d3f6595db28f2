/**
 * Validates rendered objects against the OpenAPI definitions of the Kubernetes release the
 * cluster runs and the vendored CRD schemas (deploy/k8s/test/openapi, deploy/k8s/test/crds;
 * lib/schema-sources.ts says which versions they are), strictly: a field
 * the schema does not declare is an error, as it is for `kubectl apply` (server-side
 * field validation, Strict) on a real API server.
 *
 * Written here rather than taken from kubernetes-models: its validators are compiled
 * without additionalProperties, so they accept unknown fields, and it has no schemas for
 * the pinned MetalLB, Chaos Mesh and Argo CD versions. The conversion below is what
 * kubeconform's "strict" schemas do: every object schema that lists properties and does not
 * preserve unknown fields gets additionalProperties: false; int-or-string and quantities
 * take the shapes the API server accepts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { type K8sObject, REPOSITORY_ROOT } from './render.ts';
import { openapiFile } from './schema-sources.ts';

type Schema = { [key: string]: unknown };

const TEST_DIR = join(import.meta.dirname, '..');
const QUANTITY = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Makes a schema strict and replaces the Kubernetes-only types ajv does not know. */
const strict = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const source = schema as Schema;
  if (source.format === 'int-or-string' || source['x-kubernetes-int-or-string'] === true) {
    return { anyOf: [{ type: 'integer' }, { type: 'string' }] };
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    // Field names under `properties` are data, not keywords.
    if (key === 'properties' && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, strict(child)]));
    } else {
      out[key] = strict(value);
    }
  }
  // OpenAPI v3.0 (CRDs) writes an exclusive bound as a flag beside minimum/maximum;
  // JSON Schema draft-07 (ajv) wants the bound itself.
  if (out.exclusiveMinimum === true && typeof out.minimum === 'number') {
    out.exclusiveMinimum = out.minimum;
    delete out.minimum;
  } else if (out.exclusiveMinimum === false) delete out.exclusiveMinimum;
  if (out.exclusiveMaximum === true && typeof out.maximum === 'number') {
    out.exclusiveMaximum = out.maximum;
    delete out.maximum;
  } else if (out.exclusiveMaximum === false) delete out.exclusiveMaximum;
  if (
    out.properties !== undefined &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
};

const kubernetesDefinitions = (): Record<string, unknown> => {
  const { definitions } = JSON.parse(readFileSync(join(REPOSITORY_ROOT, openapiFile()), 'utf8')) as {
    definitions: Record<string, Schema>;
  };
  const out: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(definitions)) out[name] = strict(definition);
  // A quantity is a string such as "250m" or "1Gi", or a plain number.
  out['io.k8s.apimachinery.pkg.api.resource.Quantity'] = {
    anyOf: [{ type: 'string', pattern: QUANTITY }, { type: 'number' }],
  };
  return out;
};

export interface CrdSchema {
  readonly source: { readonly repo: string; readonly tag: string; readonly file: string };
  readonly group: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly versions: Record<string, Schema>;
}

export const loadCrds = (): CrdSchema[] =>
  readdirSync(join(TEST_DIR, 'crds'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(TEST_DIR, 'crds', file), 'utf8')) as CrdSchema);

export interface SchemaValidator {
  /** Error messages for one object; empty when it is valid. */
  validate(object: K8sObject): string[];
  /** apiVersion/kind pairs with a schema. */
  readonly kinds: ReadonlySet<string>;
  /** Whether a kind is cluster-scoped (Namespace, ClusterRole, ClusterIssuer...). */
  isClusterScoped(apiVersion: string, kind: string): boolean;
}

const CLUSTER_SCOPED_BUILTINS = new Set([
  'v1/Namespace',
  'rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'storage.k8s.io/v1/StorageClass',
  'scheduling.k8s.io/v1/PriorityClass',
  'networking.k8s.io/v1/IngressClass',
]);

/**
 * CRD patterns are Go (RE2) expressions; some (PrometheusRule's partial_response_strategy)
 * turn on case-insensitivity with an inline `(?i)`, which JavaScript spells as a flag.
 */
const goRegExp = Object.assign(
  (pattern: string, flags: string): RegExp =>
    pattern.includes('(?i)') ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags),
  { code: 'new RegExp' },
);

export const createSchemaValidator = (): SchemaValidator => {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } });
  const definitions = kubernetesDefinitions();
  ajv.addSchema({ $id: 'k8s', definitions });
  const refs = new Map<string, string>();
  for (const [name, definition] of Object.entries(definitions)) {
    const gvks = (definition as Schema)['x-kubernetes-group-version-kind'] as
      | { group: string; version: string; kind: string }[]
      | undefined;
    for (const gvk of gvks ?? []) {
      refs.set(`${gvk.group === '' ? '' : `${gvk.group}/`}${gvk.version}/${gvk.kind}`, name);
    }
  }
  const crdSchemas = new Map<string, Schema>();
  const clusterScoped = new Set(CLUSTER_SCOPED_BUILTINS);
  for (const crd of loadCrds()) {
    for (const [version, schema] of Object.entries(crd.versions)) {
      const key = `${crd.group}/${version}/${crd.kind}`;
      const converted = strict(schema) as Schema;
      // The API server checks a custom resource's metadata as ObjectMeta.
      converted.properties = {
        ...(converted.properties as Schema),
        metadata: { $ref: `k8s#/definitions/${OBJECT_META}` },
      };
      crdSchemas.set(key, converted);
      if (crd.scope === 'Cluster') clusterScoped.add(key);
    }
  }
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (key: string): ValidateFunction | undefined => {
    const cached = compiled.get(key);
    if (cached !== undefined) return cached;
    const ref = refs.get(key);
    const schema = ref !== undefined ? { $ref: `k8s#/definitions/${ref}` } : crdSchemas.get(key);
    if (schema === undefined) return undefined;
    const validate = ajv.compile(schema);
    compiled.set(key, validate);
    return validate;
  };
  return {
    kinds: new Set([...refs.keys(), ...crdSchemas.keys()]),
    isClusterScoped: (apiVersion, kind) => clusterScoped.has(`${apiVersion}/${kind}`),
    validate(object) {
      const key = `${object.apiVersion}/${object.kind}`;
      const validate = validatorFor(key);
      if (validate === undefined) return [`no schema for ${key}`];
      if (validate(object)) return [];
      return (validate.errors ?? []).map(formatError);
    },
  };
};

const formatError = (error: ErrorObject): string => {
  const where = error.instancePath === '' ? '/' : error.instancePath;
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  }
  return `${where}: ${error.message ?? error.keyword}`;
};
