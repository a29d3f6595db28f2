/** Prometheus rule groups as Prometheus reads them (`rule_files`) and as a PrometheusRule's `spec`. */

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>> & { readonly severity: Severity };
  readonly annotations: Readonly<Record<string, string>> & {
    readonly summary: string;
    readonly description: string;
    readonly runbook_url: string;
  };
}

export type Rule = RecordingRule | AlertingRule;

export type Severity = 'critical' | 'warning' | 'info';

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

/** One PrometheusRule object: a component's groups, in one file. */
export interface RuleFile {
  /** File and object name, e.g. `memelab-slo`. */
  readonly name: string;
  /** `app.kubernetes.io/component` of the object: which part of the system the rules watch. */
  readonly component: string;
  readonly groups: readonly RuleGroup[];
}

export const isAlert = (rule: Rule): rule is AlertingRule => 'alert' in rule;

/** Where the runbooks are published; every runbook_url is this plus `/<file>.md#<anchor>`. */
export const RUNBOOK_BASE = 'https://github.com/memelab/memelab/blob/main/docs/runbooks';

/** GitHub's heading anchor: lower case, spaces to dashes, punctuation dropped. */
export const headingAnchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** The runbook section of an alert: a `## <AlertName>` heading in docs/runbooks/<file>.md. */
export const runbookUrl = (file: string, alert: string): string => `${RUNBOOK_BASE}/${file}.md#${headingAnchor(alert)}`;
