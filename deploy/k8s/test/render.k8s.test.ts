/**
 * Every environment renders with `kubectl kustomize` (the kustomize in kubectl 1.32, the
 * one `kubectl apply -k` and Argo CD's repo server run) into what a cluster needs.
 */
import { describe, expect, it } from 'vitest';
import { ARGOCD_TARGETS, OVERLAYS, renderArgocd, renderOverlay } from './lib/render.ts';

const kindsIn = (objects: { kind: string; metadata: { namespace?: string } }[], namespace?: string) =>
  new Set(
    objects
      .filter((object) => namespace === undefined || object.metadata.namespace === namespace)
      .map((object) => object.kind),
  );

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  it('renders both tenants and the cluster configuration', async () => {
    const objects = await renderOverlay(overlay);
    const namespaces = objects.filter((object) => object.kind === 'Namespace').map((object) => object.metadata.name);
    expect(namespaces.sort()).toEqual(['healthcare', 'memelab']);
    expect([...kindsIn(objects, 'memelab')].sort()).toEqual(
      [
        'ConfigMap',
        'CronJob',
        'Deployment',
        'HorizontalPodAutoscaler',
        'Ingress',
        'Job',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'ScaledObject',
        'Service',
        'ServiceAccount',
        'ServiceMonitor',
        'StatefulSet',
        'TriggerAuthentication',
      ].sort(),
    );
    const statefulSets = (namespace: string) =>
      objects
        .filter((object) => object.kind === 'StatefulSet' && object.metadata.namespace === namespace)
        .map((object) => object.metadata.name)
        .sort();
    expect(statefulSets('memelab')).toEqual(['minio', 'postgres', 'rabbitmq']);
    // One PostgreSQL per tenant; healthcare's MinIO holds its backups.
    expect(statefulSets('healthcare')).toEqual(['minio', 'postgres']);
    expect(kindsIn(objects, 'metallb-system')).toEqual(new Set(['IPAddressPool', 'L2Advertisement']));
    // No Secret is rendered: they come from deploy/k8s/secrets or SealedSecrets.
    expect(kindsIn(objects).has('Secret')).toBe(false);
  });

  it('takes every memelab image from the overlay, by name and tag', async () => {
    const objects = await renderOverlay(overlay);
    const images = new Set(
      objects
        .flatMap((object) => JSON.stringify(object).match(/"image":"[^"]+"/g) ?? [])
        .map((match) => match.slice(9, -1)),
    );
    expect([...images].filter((image) => image.includes('memelab')).sort()).toEqual([
      'ghcr.io/memelab/healthcare-api:0.1.0',
      'ghcr.io/memelab/memelab-api:0.1.0',
      'ghcr.io/memelab/memelab-web:0.1.0',
      'ghcr.io/memelab/memelab-worker:0.1.0',
    ]);
  });
});

it('sizes the environments differently: three RabbitMQ nodes on the homelab, one on a single node', async () => {
  const replicas = async (overlay: (typeof OVERLAYS)[number]) =>
    (await renderOverlay(overlay)).find(
      (object) => object.kind === 'StatefulSet' && object.metadata.name === 'rabbitmq',
    )?.spec.replicas;
  expect(await replicas('homelab')).toBe(3);
  expect(await replicas('single-node')).toBe(1);
  const singleNode = await renderOverlay('single-node');
  const config = singleNode.find(
    (object) => object.kind === 'ConfigMap' && object.metadata.name?.startsWith('rabbitmq-config'),
  );
  expect(config?.data['rabbitmq.conf']).toContain('nodes.1 = rabbit@rabbitmq-0');
  expect(config?.data['rabbitmq.conf']).not.toContain('nodes.2');
});

describe.each(ARGOCD_TARGETS)('deploy/argocd/%s', (target) => {
  it('renders Argo CD objects only', async () => {
    const objects = await renderArgocd(target);
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) expect(object.apiVersion).toBe('argoproj.io/v1alpha1');
  });
});
