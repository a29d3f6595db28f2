/** The kubelet semantics the pod runner reproduces (lib/pod-runner.ts). */
import { describe, expect, it } from 'vitest';
import { podmanRunArgs, quantityBytes, quantityCpus, resolveEnv } from './lib/pod-runner.ts';
import { renderOverlay } from './lib/render.ts';
import { workloadsOf } from './lib/workloads.ts';

const resources = {
  configMaps: new Map([['config', { HOST: 'rabbitmq:5672', PORT: '1' }]]),
  secrets: new Map([['creds', { user: 'u', pass: 'p' }]]),
};
const workloadWith = (container: Record<string, unknown>) =>
  workloadsOf([
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'demo', namespace: 'tenant' },
      spec: { template: { metadata: { labels: {} }, spec: { containers: [container] } } },
    },
  ])[0];

describe('resolveEnv', () => {
  it('takes envFrom first, then env in order, expanding $(VAR) from what is defined before', () => {
    const container = {
      name: 'c',
      envFrom: [{ configMapRef: { name: 'config' } }],
      env: [
        { name: 'URL_EARLY', value: 'amqp://$(USER)@$(HOST)' },
        { name: 'USER', valueFrom: { secretKeyRef: { name: 'creds', key: 'user' } } },
        { name: 'URL', value: 'amqp://$(USER):$(PASS)@$(HOST)' },
        { name: 'PORT', value: '2' },
        { name: 'LITERAL', value: 'cost: $$(USER)' },
        { name: 'ADMIN', valueFrom: { secretKeyRef: { name: 'creds', key: 'missing', optional: true } } },
        { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      ],
    };
    const workload = workloadWith(container);
    if (workload === undefined) throw new Error('no workload');
    expect(resolveEnv(workload, container, resources)).toEqual({
      HOST: 'rabbitmq:5672',
      // USER was not defined yet: the reference stays as written, as the kubelet leaves it.
      URL_EARLY: 'amqp://$(USER)@rabbitmq:5672',
      USER: 'u',
      URL: 'amqp://u:$(PASS)@rabbitmq:5672',
      PORT: '2',
      LITERAL: 'cost: $(USER)',
      NAMESPACE: 'tenant',
    });
  });

  it('refuses a missing required key', () => {
    const container = { name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'nope' } } }] };
    const workload = workloadWith(container);
    if (workload === undefined) throw new Error('no workload');
    expect(() => resolveEnv(workload, container, resources)).toThrow(/no key nope/);
  });
});

describe('podmanRunArgs', () => {
  it('maps the api pod spec to the hardened flags', async () => {
    const api = workloadsOf(await renderOverlay('homelab')).find((workload) => workload.name === 'api');
    if (api === undefined) throw new Error('no api');
    const args = podmanRunArgs(api, api.podSpec.containers[0], { name: 'n', image: 'i', network: 'net', env: {} });
    expect(args).toEqual(
      expect.arrayContaining([
        '--user',
        '10001:10001',
        '--group-add',
        '10001',
        '--read-only',
        '--read-only-tmpfs=false',
        '--cap-drop=ALL',
        '--security-opt=no-new-privileges',
        '--memory',
        String(512 * 1024 ** 2),
        '--cpus',
        '1',
        '--stop-timeout',
        '40',
      ]),
    );
    expect(args).toContain(`type=tmpfs,destination=/tmp,tmpfs-mode=1777,tmpfs-size=${64 * 1024 ** 2}`);
    expect(args.slice(-2)).toEqual(['i', 'api']);
  });

  it('refuses a pod that may run as root', () => {
    const workload = workloadWith({ name: 'c', securityContext: { runAsUser: 0, runAsNonRoot: false } });
    if (workload === undefined) throw new Error('no workload');
    expect(() =>
      podmanRunArgs(workload, workload.podSpec.containers[0], { name: 'n', image: 'i', network: 'net', env: {} }),
    ).toThrow(/non-root/);
  });

  it.each([
    ['512Mi', 536870912],
    ['1Gi', 1073741824],
    ['64M', 64000000],
    ['128974848', 128974848],
  ])('reads the quantity %s as %i bytes', (quantity, bytes) => {
    expect(quantityBytes(quantity)).toBe(bytes);
  });

  it.each([
    ['250m', 0.25],
    ['1', 1],
    [2, 2],
  ] as const)('reads the CPU quantity %s as %s cores', (quantity, cores) => {
    expect(quantityCpus(quantity)).toBe(cores);
  });
});
