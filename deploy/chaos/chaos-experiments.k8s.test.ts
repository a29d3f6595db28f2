/**
 * The Chaos Mesh experiments in deploy/chaos: valid against the pinned Chaos Mesh CRDs,
 * scoped to one tenant namespace by label or node (never cluster-wide), bounded in time,
 * documented (hypothesis, blast radius, abort condition), expecting alerts that exist,
 * and aimed at pods the overlays really run. The crash-loop rollout renders and its bad
 * configuration really stops memelab at start-up.
 */
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeObject, type K8sObject, kustomize, REPOSITORY_ROOT, renderOverlay } from '../k8s/test/lib/render.ts';
import { createSchemaValidator } from '../k8s/test/lib/schema.ts';
import { workloadsOf } from '../k8s/test/lib/workloads.ts';
import { type ChaosTarget, chaosFindings } from './chaos-rules.ts';

const EXPERIMENTS_DIR = join(REPOSITORY_ROOT, 'deploy/chaos/experiments');
const RULES_DIR = join(REPOSITORY_ROOT, 'deploy/observability/prometheus/rules');

const alertNames = async (): Promise<Set<string>> => {
  const names = new Set<string>();
  for (const file of await readdir(RULES_DIR)) {
    const document = parse(await readFile(join(RULES_DIR, file), 'utf8')) as {
      groups?: { rules?: { alert?: string }[] }[];
    };
    for (const group of document.groups ?? [])
      for (const rule of group.rules ?? []) if (rule.alert) names.add(rule.alert);
  }
  return names;
};

let experiments: K8sObject[];
let targets: ChaosTarget[];
let alerts: Set<string>;

beforeAll(async () => {
  experiments = await kustomize(EXPERIMENTS_DIR);
  const homelab = await renderOverlay('homelab');
  targets = workloadsOf(homelab).map((workload) => ({ namespace: workload.namespace, labels: workload.podLabels }));
  alerts = await alertNames();
});

describe('Chaos Mesh experiments', () => {
  it('are all chaos-mesh.org objects valid against the pinned CRDs', () => {
    const validator = createSchemaValidator();
    expect(experiments.length).toBeGreaterThanOrEqual(10);
    for (const object of experiments) {
      expect(object.apiVersion).toBe('chaos-mesh.org/v1alpha1');
      expect(validator.validate(object), describeObject(object)).toEqual([]);
    }
  });

  it('are scoped, bounded, documented and aimed at pods that exist', () => {
    const findings = experiments.flatMap((object) =>
      chaosFindings(object, { targets, alerts }).map((finding) => `${describeObject(object)}: ${finding}`),
    );
    expect(findings).toEqual([]);
  });
});

describe('the rules catch what they are for', () => {
  const good = (): K8sObject =>
    structuredClone(experiments.find((object) => object.metadata.name === 'postgres-outage') as K8sObject);
  const findingsOf = (object: K8sObject) => chaosFindings(object, { targets, alerts });

  it('a good experiment has no finding', () => {
    expect(findingsOf(good())).toEqual([]);
  });

  it.each([
    ['a cluster-wide selector', (o: K8sObject) => delete o.spec.selector.namespaces, 'one tenant namespace'],
    ['a selector with no labels or nodes', (o: K8sObject) => delete o.spec.selector.labelSelectors, 'labels or nodes'],
    ['pod-failure with no duration', (o: K8sObject) => delete o.spec.duration, 'duration'],
    [
      'a missing hypothesis',
      (o: K8sObject) => delete o.metadata.annotations?.['chaos.memelab.dev/hypothesis'],
      'hypothesis',
    ],
    [
      'an alert that does not exist',
      (o: K8sObject) => {
        o.metadata.annotations = { ...o.metadata.annotations, 'chaos.memelab.dev/expected-alerts': 'PostgresqlOnFire' };
        return o;
      },
      'PostgresqlOnFire',
    ],
    [
      'a selector that matches no pod',
      (o: K8sObject) => {
        o.spec.selector.labelSelectors = { 'app.kubernetes.io/name': 'postgress' };
        return o;
      },
      'matches no pod',
    ],
    [
      'a namespace other than its own',
      (o: K8sObject) => {
        o.spec.selector.namespaces = ['kube-system'];
        return o;
      },
      'its own namespace',
    ],
  ])('%s', (_name, spoil, message) => {
    const object = good();
    spoil(object);
    expect(findingsOf(object).join('\n')).toContain(message);
  });
});

describe('crash-loop rollout', () => {
  let api: K8sObject | undefined;
  beforeAll(async () => {
    const objects = await kustomize(join(REPOSITORY_ROOT, 'deploy/chaos/crashloop-rollout'));
    api = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'api');
  });

  it('keeps the old pods while the new ones crash: maxUnavailable 0 and a readiness probe', () => {
    expect(api?.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(api?.spec.template.spec.containers[0].readinessProbe).toBeDefined();
    const env = api?.spec.template.spec.containers[0].env as { name: string; value?: string }[];
    expect(env.filter((variable) => variable.name === 'LOG_LEVEL').at(-1)?.value).toBe('verbose');
  });

  it("ships a configuration memelab's api refuses at start-up (it would crash-loop)", () => {
    const env = api?.spec.template.spec.containers[0].env as { name: string; value?: string }[];
    const bad = env.filter((variable) => variable.name === 'LOG_LEVEL').at(-1)?.value ?? '';
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const result = spawnSync(
      process.execPath,
      ['--import', tsx, join(REPOSITORY_ROOT, 'apps/cli/src/main.ts'), 'api'],
      {
        env: {
          PATH: process.env.PATH,
          LOG_LEVEL: bad,
          DATABASE_URL: 'postgres://127.0.0.1:1/x',
          AMQP_URL: 'amqp://127.0.0.1:1',
          S3_ENDPOINT: 'http://127.0.0.1:1',
          S3_BUCKET: 'b',
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('LOG_LEVEL');
  });
});
