/**
 * Every rendered object against the OpenAPI schema of the Kubernetes release versions.yml
 * pins or its CRD's schema at the pinned add-on version, with unknown fields refused
 * (lib/schema.ts).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ARGOCD_TARGETS,
  describeObject,
  findKustomizations,
  type K8sObject,
  kustomize,
  OVERLAYS,
  REPOSITORY_ROOT,
  renderArgocd,
  renderOverlay,
  renderSecrets,
  restoreJob,
} from './lib/render.ts';
import { createSchemaValidator, loadCrds, type SchemaValidator } from './lib/schema.ts';
import { CRD_SOURCES, vendoredTags } from './lib/schema-sources.ts';

let validator: SchemaValidator;
beforeAll(() => {
  validator = createSchemaValidator();
});

const invalid = (objects: readonly K8sObject[]) =>
  objects.flatMap((object) => validator.validate(object).map((error) => `${describeObject(object)} ${error}`));

describe('rendered objects are valid', () => {
  it.each(OVERLAYS)('overlays/%s', async (overlay) => {
    const objects = await renderOverlay(overlay);
    expect(invalid(objects)).toEqual([]);
  });

  it.each(ARGOCD_TARGETS)('deploy/argocd/%s', async (target) => {
    expect(invalid(await renderArgocd(target))).toEqual([]);
  });

  it.each(['memelab', 'healthcare'] as const)('secrets/%s', async (tenant) => {
    expect(invalid((await renderSecrets(tenant)).objects)).toEqual([]);
  });

  it('the restore Job', async () => {
    expect(invalid([await restoreJob('memelab')])).toEqual([]);
  });
});

// That these tags are the versions addons.yaml and versions.yml pin: schema-pins.k8s.test.ts.
describe('the CRD schemas', () => {
  it('are vendored from the tags of lib/schema-sources.ts, one tag per project', () => {
    const sources = new Set(loadCrds().map((crd) => `${crd.source.repo}@${crd.source.tag}`));
    expect([...sources].sort()).toEqual(vendoredTags());
    expect(sources.size).toBe(CRD_SOURCES.length);
  });
});

describe('the validator refuses', () => {
  const deployment = async () =>
    structuredClone((await renderOverlay('homelab')).find((object) => object.kind === 'Deployment') as K8sObject);
  const custom = async (kind: string) =>
    structuredClone(
      [...(await renderOverlay('homelab')), ...(await renderArgocd('apps/homelab'))].find(
        (object) => object.kind === kind,
      ) as K8sObject,
    );

  it('an unknown field in a built-in kind', async () => {
    const object = await deployment();
    object.spec.template.spec.containers[0].imagePullPolicyy = 'IfNotPresent';
    expect(validator.validate(object)).toEqual(['/spec/template/spec/containers/0: unknown field "imagePullPolicyy"']);
  });

  it('a wrong type and a missing required field', async () => {
    const object = await deployment();
    object.spec.replicas = 'two';
    delete object.spec.selector;
    const errors = validator.validate(object).join('\n');
    expect(errors).toContain("must have required property 'selector'");
    expect(errors).toContain('/spec/replicas: must be integer');
  });

  it('a malformed quantity', async () => {
    const object = await deployment();
    object.spec.template.spec.containers[0].resources.limits.memory = '512 MB';
    expect(validator.validate(object)).not.toEqual([]);
  });

  it.each([
    [
      'ScaledObject',
      (object: K8sObject) => {
        object.spec.minReplicas = 1;
      },
      'unknown field "minReplicas"',
    ],
    [
      'IPAddressPool',
      (object: K8sObject) => {
        object.spec.addresses = '10.0.0.1';
      },
      'must be array',
    ],
    [
      'Application',
      (object: K8sObject) => {
        object.spec.syncPolicy.automated.selfheal = true;
      },
      'unknown field "selfheal"',
    ],
    [
      'ClusterIssuer',
      (object: K8sObject) => {
        object.spec.acmee = {};
      },
      'unknown field "acmee"',
    ],
    [
      'TriggerAuthentication',
      (object: K8sObject) => {
        object.spec.secretTargetRef[0].parameter = 7;
      },
      'must be string',
    ],
  ])('a bad %s against its CRD', async (kind, spoil, message) => {
    const object = await custom(kind);
    expect(validator.validate(object)).toEqual([]);
    spoil(object);
    expect(validator.validate(object).join('\n')).toContain(message);
  });

  it('a kind it has no schema for', () => {
    expect(validator.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'no schema for example.com/v1/Widget',
    ]);
  });
});

// Kubernetes objects kept elsewhere in the repository (Chaos Mesh experiments, ServiceMonitors
// and rules) meet the same schemas wherever they have a kustomization.
describe('other Kubernetes objects in the repository', async () => {
  const dirs = [
    ...(await findKustomizations(join(REPOSITORY_ROOT, 'deploy/chaos'))),
    ...(await findKustomizations(join(REPOSITORY_ROOT, 'deploy/observability'))),
  ];
  it.skipIf(dirs.length === 0).each(dirs.length === 0 ? ['(none yet)'] : dirs)('%s', async (dir) => {
    expect(invalid(await kustomize(join(REPOSITORY_ROOT, dir)))).toEqual([]);
  });
});
