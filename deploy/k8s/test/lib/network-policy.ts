/**
 * Evaluates NetworkPolicies the way Kubernetes defines them (and Calico implements them):
 * a pod selected by no policy of a direction is open in that direction; once any policy
 * of that direction selects it, a connection is allowed only when at least one of those
 * policies' rules allows it (the union). A connection needs both the source's egress and
 * the destination's ingress to allow it.
 *
 * Endpoints are the rendered pod templates, the platform pods the policies name
 * (ingress-nginx, Prometheus, KEDA, CoreDNS), whose own namespaces are not policed here,
 * and addresses outside the cluster.
 */

import { PLATFORM_PEERS } from './policy.ts';
import type { K8sObject } from './render.ts';
import { type LabelSelector, selectorMatches } from './selectors.ts';
import { workloadsOf } from './workloads.ts';

export interface Endpoint {
  readonly name: string;
  /** Undefined for an address outside the cluster. */
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly ports: readonly { name?: string; containerPort: number; protocol?: string }[];
  readonly ip?: string;
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface PolicyRule {
  from?: Peer[];
  to?: Peer[];
  ports?: PolicyPort[];
}

const ipToNumber = (ip: string): number => ip.split('.').reduce((total, part) => total * 256 + Number(part), 0);
const inCidr = (ip: string, cidr: string): boolean => {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits ?? 32));
  const start = Math.floor(ipToNumber(base ?? '0.0.0.0') / size) * size;
  const value = ipToNumber(ip);
  return value >= start && value < start + size;
};

export interface Flow {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

export class NetworkPolicyModel {
  readonly endpoints: Endpoint[];
  readonly #policies: K8sObject[];
  readonly #namespaceLabels: Map<string, Record<string, string>>;

  constructor(objects: readonly K8sObject[]) {
    this.#policies = objects.filter((object) => object.kind === 'NetworkPolicy');
    this.#namespaceLabels = new Map(
      objects
        .filter((object) => object.kind === 'Namespace')
        .map((namespace) => [
          namespace.metadata.name as string,
          { 'kubernetes.io/metadata.name': namespace.metadata.name as string, ...namespace.metadata.labels },
        ]),
    );
    for (const namespace of Object.keys(PLATFORM_PEERS))
      this.#namespaceLabels.set(namespace, { 'kubernetes.io/metadata.name': namespace });
    this.endpoints = [
      ...workloadsOf(objects).map((workload) => ({
        name: `${workload.namespace}/${workload.name}`,
        namespace: workload.namespace,
        labels: workload.podLabels,
        ports: [...(workload.podSpec.containers ?? [])].flatMap(
          (container: { ports?: Endpoint['ports'] }) => container.ports ?? [],
        ),
      })),
      ...Object.entries(PLATFORM_PEERS).flatMap(([namespace, pods]) =>
        pods.map((labels) => ({ name: `${namespace}/${Object.values(labels)[0]}`, namespace, labels, ports: [] })),
      ),
    ];
  }

  endpoint(name: string): Endpoint {
    const found = this.endpoints.find((endpoint) => endpoint.name === name);
    if (found === undefined)
      throw new Error(`no endpoint ${name}; known: ${this.endpoints.map((endpoint) => endpoint.name).join(', ')}`);
    return found;
  }

  static outside(ip: string): Endpoint {
    return { name: `outside ${ip}`, labels: {}, ports: [], ip };
  }

  /** Whether the cluster lets `from` open a connection to `to` on `port`. */
  allows(flow: Flow): boolean {
    return this.#direction('Egress', flow.from, flow.to, flow) && this.#direction('Ingress', flow.to, flow.from, flow);
  }

  #direction(direction: 'Ingress' | 'Egress', subject: Endpoint, peer: Endpoint, flow: Flow): boolean {
    // Only the tenants' namespaces are policed by these manifests; the outside is not a pod.
    if (
      subject.namespace === undefined ||
      !this.#policies.some((policy) => policy.metadata.namespace === subject.namespace)
    )
      return true;
    const selecting = this.#policies.filter(
      (policy) =>
        policy.metadata.namespace === subject.namespace &&
        selectorMatches(policy.spec.podSelector, subject.labels) &&
        (policy.spec.policyTypes ?? ['Ingress', ...(policy.spec.egress ? ['Egress'] : [])]).includes(direction),
    );
    if (selecting.length === 0) return true;
    return selecting.some((policy) => {
      const rules: PolicyRule[] = (direction === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? [];
      return rules.some((rule) => {
        const peers = direction === 'Ingress' ? rule.from : rule.to;
        const peerOk =
          peers === undefined ||
          peers.length === 0 ||
          peers.some((candidate) => this.#peerMatches(candidate, policy.metadata.namespace as string, peer));
        // The port is the destination's: for ingress the subject's own, for egress the peer's.
        const destination = direction === 'Ingress' ? subject : peer;
        const portOk =
          rule.ports === undefined ||
          rule.ports.length === 0 ||
          rule.ports.some((port) => portMatches(port, destination, flow));
        return peerOk && portOk;
      });
    });
  }

  #peerMatches(peer: Peer, policyNamespace: string, endpoint: Endpoint): boolean {
    if (peer.ipBlock !== undefined) {
      return (
        endpoint.ip !== undefined &&
        inCidr(endpoint.ip, peer.ipBlock.cidr) &&
        !(peer.ipBlock.except ?? []).some((cidr) => inCidr(endpoint.ip as string, cidr))
      );
    }
    if (endpoint.namespace === undefined) return false;
    const namespaceOk =
      peer.namespaceSelector === undefined
        ? endpoint.namespace === policyNamespace
        : selectorMatches(
            peer.namespaceSelector,
            this.#namespaceLabels.get(endpoint.namespace) ?? { 'kubernetes.io/metadata.name': endpoint.namespace },
          );
    return namespaceOk && selectorMatches(peer.podSelector ?? {}, endpoint.labels);
  }
}

const portMatches = (port: PolicyPort, destination: Endpoint, flow: Flow): boolean => {
  if ((port.protocol ?? 'TCP') !== (flow.protocol ?? 'TCP')) return false;
  if (port.port === undefined) return true;
  if (typeof port.port === 'string') {
    return destination.ports.some(
      (declared) =>
        declared.name === port.port &&
        declared.containerPort === flow.port &&
        (declared.protocol ?? 'TCP') === (flow.protocol ?? 'TCP'),
    );
  }
  return port.endPort === undefined ? port.port === flow.port : flow.port >= port.port && flow.port <= port.endPort;
};
