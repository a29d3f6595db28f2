import type { K8sObject } from '../k8s/test/lib/render.ts';
import { selectorMatches } from '../k8s/test/lib/selectors.ts';

/** A pod template an experiment may aim at: its namespace and labels. */
export interface ChaosTarget {
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

const TENANT_NAMESPACES = new Set(['memelab', 'healthcare']);
const REQUIRED_ANNOTATIONS = ['hypothesis', 'blast-radius', 'abort-condition', 'expected-alerts'] as const;
/** Actions that last until their `duration` ends; a kill is instantaneous. */
const LASTING_ACTIONS = new Set([
  'pod-failure',
  'delay',
  'loss',
  'partition',
  'latency',
  'fault',
  'bandwidth',
  'corrupt',
  'duplicate',
]);
const CHAOS_SPEC_KEYS = ['podChaos', 'networkChaos', 'stressChaos', 'ioChaos'] as const;

interface Selector {
  namespaces?: string[];
  labelSelectors?: Record<string, string>;
  nodes?: string[];
}

/** The chaos specs inside an experiment: itself, a Schedule's, or each Workflow step's. */
const chaosSpecs = (object: K8sObject): { spec: Record<string, unknown>; bounded: boolean }[] => {
  const spec = object.spec as Record<string, unknown>;
  if (object.kind === 'Schedule') {
    return CHAOS_SPEC_KEYS.flatMap((key) =>
      spec[key] ? [{ spec: spec[key] as Record<string, unknown>, bounded: true }] : [],
    );
  }
  if (object.kind === 'Workflow') {
    const templates = (spec.templates ?? []) as Record<string, unknown>[];
    return templates.flatMap((template) =>
      CHAOS_SPEC_KEYS.flatMap((key) =>
        template[key]
          ? [{ spec: template[key] as Record<string, unknown>, bounded: typeof template.deadline === 'string' }]
          : [],
      ),
    );
  }
  return [{ spec, bounded: false }];
};

/** What is wrong with one experiment; empty when it follows every rule. */
export const chaosFindings = (
  object: K8sObject,
  context: { targets: readonly ChaosTarget[]; alerts: ReadonlySet<string> },
): string[] => {
  const findings: string[] = [];
  const namespace = object.metadata.namespace ?? '';
  if (!TENANT_NAMESPACES.has(namespace))
    findings.push(`lives in ${namespace || 'no namespace'}, not a tenant namespace`);
  const annotations = (object.metadata.annotations ?? {}) as Record<string, string>;
  for (const name of REQUIRED_ANNOTATIONS) {
    if (!annotations[`chaos.memelab.dev/${name}`]?.trim()) findings.push(`no chaos.memelab.dev/${name} annotation`);
  }
  for (const alert of (annotations['chaos.memelab.dev/expected-alerts'] ?? '').split(/[,\s]+/)) {
    if (/^[A-Z][A-Za-z]+$/.test(alert) && !context.alerts.has(alert))
      findings.push(`expects alert ${alert}, which no rule defines`);
  }
  for (const { spec, bounded } of chaosSpecs(object)) {
    const selectors = [spec.selector, (spec.target as { selector?: Selector } | undefined)?.selector].filter(
      (selector): selector is Selector => selector !== undefined,
    );
    for (const selector of selectors) {
      if (selector.namespaces?.length !== 1) findings.push('a selector must name exactly one tenant namespace');
      else if (selector.namespaces[0] !== namespace)
        findings.push(`a selector reaches ${selector.namespaces[0]}, not its own namespace`);
      const byLabels = selector.labelSelectors !== undefined && Object.keys(selector.labelSelectors).length > 0;
      if (!byLabels && (selector.nodes?.length ?? 0) === 0)
        findings.push('a selector must pick pods by labels or nodes');
      if (byLabels) {
        const matched = context.targets.some(
          (target) =>
            target.namespace === selector.namespaces?.[0] &&
            selectorMatches({ matchLabels: selector.labelSelectors }, target.labels),
        );
        if (!matched)
          findings.push(`selector ${JSON.stringify(selector.labelSelectors)} matches no pod in the overlays`);
      }
    }
    const action = String(spec.action ?? (object.kind === 'StressChaos' || spec.stressors ? 'stress' : ''));
    const lasting = LASTING_ACTIONS.has(action) || action === 'stress';
    if (lasting && !bounded && typeof spec.duration !== 'string')
      findings.push(`${action} without a duration never ends`);
  }
  return findings;
};
