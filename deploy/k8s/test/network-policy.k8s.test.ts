/**
 * The rendered NetworkPolicies evaluated as Kubernetes does (lib/network-policy.ts): which
 * connections each overlay allows and which it refuses.
 */
import { describe, expect, it } from 'vitest';
import { NetworkPolicyModel } from './lib/network-policy.ts';
import { OVERLAYS, renderOverlay } from './lib/render.ts';

const OUTSIDE = 'outside 93.184.216.34';
const HOME_ROUTER = 'outside 192.168.10.1';

// [from, to, port, protocol]
type Row = readonly [string, string, number, ('TCP' | 'UDP')?];
interface FlowRow {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}
const withProtocol = (rows: readonly Row[]): FlowRow[] =>
  rows.map(([from, to, port, protocol]) => ({ from, to, port, protocol: protocol ?? 'TCP' }));

const ALLOWED = withProtocol([
  ['memelab/api', 'memelab/postgres', 5432],
  ['memelab/api', 'memelab/rabbitmq', 5672],
  ['memelab/api', 'memelab/minio', 9000],
  ['memelab/worker', 'memelab/postgres', 5432],
  ['memelab/worker', 'memelab/rabbitmq', 5672],
  ['memelab/worker', 'memelab/minio', 9000],
  ['memelab/memelab-migrate', 'memelab/postgres', 5432],
  ['memelab/postgres-backup', 'memelab/postgres', 5432],
  ['memelab/postgres-backup', 'memelab/minio', 9000],
  ['memelab/web', 'memelab/api', 8080],
  ['memelab/rabbitmq', 'memelab/rabbitmq', 25672],
  ['memelab/rabbitmq', 'memelab/rabbitmq', 4369],
  ['ingress-nginx/ingress-nginx', 'memelab/web', 8080],
  ['ingress-nginx/ingress-nginx', 'memelab/api', 8080],
  ['ingress-nginx/ingress-nginx', 'healthcare/healthcare-api', 8090],
  ['monitoring/prometheus', 'memelab/api', 8080],
  ['monitoring/prometheus', 'memelab/worker', 8081],
  ['monitoring/prometheus', 'memelab/rabbitmq', 15692],
  ['monitoring/prometheus', 'healthcare/healthcare-api', 8090],
  ['keda/keda-operator', 'memelab/rabbitmq', 15672],
  ['memelab/api', 'kube-system/kube-dns', 53, 'UDP'],
  ['memelab/worker', 'kube-system/kube-dns', 53, 'TCP'],
  ['healthcare/healthcare-api', 'kube-system/kube-dns', 53, 'UDP'],
  ['healthcare/healthcare-api', 'healthcare/postgres', 5432],
  ['healthcare/healthcare-migrate', 'healthcare/postgres', 5432],
  ['healthcare/postgres-backup', 'healthcare/postgres', 5432],
  ['healthcare/postgres-backup', 'healthcare/minio', 9000],
]);

const DENIED = withProtocol([
  // web serves the page and proxies to the API; it reaches no data store.
  ['memelab/web', 'memelab/postgres', 5432],
  ['memelab/web', 'memelab/rabbitmq', 5672],
  ['memelab/web', 'memelab/minio', 9000],
  ['memelab/web', 'memelab/api', 9090],
  // Each workload reaches only what it uses.
  ['memelab/memelab-migrate', 'memelab/rabbitmq', 5672],
  ['memelab/worker', 'memelab/api', 8080],
  ['memelab/api', 'memelab/rabbitmq', 15672],
  ['memelab/api', 'memelab/rabbitmq', 25672],
  ['memelab/postgres', 'memelab/minio', 9000],
  ['memelab/rabbitmq', 'memelab/postgres', 5432],
  // The tenants cannot reach each other, either way.
  ['memelab/api', 'healthcare/healthcare-api', 8090],
  ['memelab/api', 'healthcare/postgres', 5432],
  ['memelab/worker', 'healthcare/postgres', 5432],
  ['healthcare/healthcare-api', 'memelab/postgres', 5432],
  ['healthcare/healthcare-api', 'memelab/api', 8080],
  ['healthcare/postgres-backup', 'memelab/minio', 9000],
  // Nothing reaches the internet or the home network.
  ['memelab/api', OUTSIDE, 443],
  ['memelab/worker', OUTSIDE, 443],
  ['memelab/web', OUTSIDE, 80],
  ['memelab/rabbitmq', OUTSIDE, 443],
  ['healthcare/healthcare-api', OUTSIDE, 443],
  ['healthcare/postgres', HOME_ROUTER, 53, 'UDP'],
  ['memelab/api', HOME_ROUTER, 53, 'UDP'],
  // DNS only to the cluster's DNS, and only on port 53.
  ['memelab/api', 'kube-system/kube-dns', 8080],
  // Nothing from outside but through ingress-nginx; the platform pods only where named.
  [OUTSIDE, 'memelab/api', 8080],
  [OUTSIDE, 'memelab/web', 8080],
  ['ingress-nginx/ingress-nginx', 'memelab/postgres', 5432],
  ['ingress-nginx/ingress-nginx', 'memelab/worker', 8081],
  ['ingress-nginx/ingress-nginx', 'memelab/rabbitmq', 15672],
  ['monitoring/prometheus', 'memelab/postgres', 5432],
  ['monitoring/prometheus', 'memelab/web', 8080],
  ['monitoring/prometheus', 'memelab/rabbitmq', 5672],
  ['keda/keda-operator', 'memelab/rabbitmq', 5672],
  ['keda/keda-operator', 'memelab/api', 8080],
  ['kube-system/kube-dns', 'memelab/api', 8080],
]);

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  const model = async () => new NetworkPolicyModel(await renderOverlay(overlay));
  const endpoint = (current: NetworkPolicyModel, name: string) =>
    name.startsWith('outside ') ? NetworkPolicyModel.outside(name.slice('outside '.length)) : current.endpoint(name);

  it.each<FlowRow>(ALLOWED)('allows $from -> $to:$port $protocol', async ({ from, to, port, protocol }) => {
    const current = await model();
    expect(current.allows({ from: endpoint(current, from), to: endpoint(current, to), port, protocol })).toBe(true);
  });

  it.each<FlowRow>(DENIED)('denies $from -> $to:$port $protocol', async ({ from, to, port, protocol }) => {
    const current = await model();
    expect(current.allows({ from: endpoint(current, from), to: endpoint(current, to), port, protocol })).toBe(false);
  });
});

describe('the evaluator', () => {
  it('opens everything when no policy selects the pods, and closes it with a default deny', async () => {
    const objects = (await renderOverlay('homelab')).filter((object) => object.kind !== 'NetworkPolicy');
    const open = new NetworkPolicyModel(objects);
    const flow = { from: open.endpoint('memelab/web'), to: open.endpoint('memelab/postgres'), port: 5432 };
    // No policy in the namespace at all: Kubernetes allows every connection.
    expect(open.allows(flow)).toBe(true);
    const denyAll = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: 'memelab' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    };
    expect(new NetworkPolicyModel([...objects, denyAll]).allows(flow)).toBe(false);
  });

  it('needs both ends: an egress allow alone does not open a connection the destination refuses', async () => {
    const objects = await renderOverlay('homelab');
    const webToPostgres = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web-to-postgres', namespace: 'memelab' },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'postgres' } } }] }],
      },
    };
    const current = new NetworkPolicyModel([...objects, webToPostgres]);
    expect(
      current.allows({ from: current.endpoint('memelab/web'), to: current.endpoint('memelab/postgres'), port: 5432 }),
    ).toBe(false);
  });
});
