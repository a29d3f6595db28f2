/**
 * The policy rules (lib/policy.ts) on every workload of every overlay, and each rule's
 * failing fixture: a change to the rendered homelab that the rule must report.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedDisruptions, policyContext, RULES } from './lib/policy.ts';
import { type K8sObject, OVERLAYS, type Overlay, REPOSITORY_ROOT, renderOverlay, restoreJob } from './lib/render.ts';

const TENANTS = new Set(['memelab', 'healthcare']);

/** What the rules apply to: the tenants' objects, plus the restore Job as it is applied by hand. */
const tenantObjects = async (overlay: Overlay): Promise<K8sObject[]> => [
  ...(await renderOverlay(overlay)).filter(
    (object) =>
      TENANTS.has(object.metadata.namespace ?? '') ||
      (object.kind === 'Namespace' && TENANTS.has(object.metadata.name ?? '')),
  ),
  await restoreJob('memelab'),
  await restoreJob('healthcare'),
];

describe.each(OVERLAYS)('overlays/%s passes', (overlay) => {
  it.each(RULES.map((rule) => rule.id))('%s', async (id) => {
    const rule = RULES.find((candidate) => candidate.id === id);
    const objects = await tenantObjects(overlay);
    expect(rule?.check(policyContext(objects))).toEqual([]);
  });
});

describe('each rule fails its fixture', () => {
  it.each(RULES.map((rule) => rule.id))('%s', async (id) => {
    const rule = RULES.find((candidate) => candidate.id === id);
    if (rule === undefined) throw new Error(id);
    const objects = await tenantObjects('homelab');
    rule.breaks(objects);
    expect(rule.check(policyContext(objects)).length).toBeGreaterThan(0);
  });
});

it('checks every workload kind the overlays render', async () => {
  const kinds = new Set(
    policyContext(await tenantObjects('homelab')).workloads.map((workload) => workload.object.kind),
  );
  expect([...kinds].sort()).toEqual(['CronJob', 'Deployment', 'Job', 'StatefulSet']);
});

describe('PodDisruptionBudget arithmetic', () => {
  const pdb = (spec: Record<string, unknown>): K8sObject => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'p' },
    spec,
  });
  it.each([
    [{ maxUnavailable: 1 }, 1, 1],
    [{ maxUnavailable: 1 }, 3, 1],
    [{ minAvailable: 1 }, 1, 0],
    [{ minAvailable: 1 }, 2, 1],
    [{ minAvailable: '50%' }, 2, 1],
    [{ minAvailable: '100%' }, 3, 0],
    [{ maxUnavailable: '25%' }, 3, 1],
    [{ maxUnavailable: 0 }, 5, 0],
  ])('%j with %i replicas allows %i evictions', (spec, replicas, allowed) => {
    expect(allowedDisruptions(pdb(spec), replicas)).toBe(allowed);
  });
});

it('docs/kubernetes.md lists every rule with its reason', async () => {
  const doc = await readFile(join(REPOSITORY_ROOT, 'docs/kubernetes.md'), 'utf8');
  const missing = RULES.filter((rule) => !doc.includes(`\`${rule.id}\``)).map((rule) => rule.id);
  expect(missing).toEqual([]);
});
