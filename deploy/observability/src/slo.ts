import type { AlertingRule, RecordingRule, RuleGroup } from './rule-types.ts';
import { runbookUrl } from './rule-types.ts';

/**
 * A service level objective as an error ratio: `errors` and `total` are PromQL selectors
 * (or `sum by (namespace) (...)`-able expressions with `$window` for the range) whose rates
 * give the bad and all events. Burn-rate alerts follow the SRE workbook's multiwindow,
 * multi-burn-rate recipe: a long window proves the burn is sustained, a short one that it
 * is still going on, so the alert resolves soon after the cause is fixed.
 */
export interface Slo {
  /** Recording rule stem: `namespace:<stem>:ratio_rate<window>`. */
  readonly stem: string;
  readonly alert: string;
  readonly tenant: 'memelab' | 'healthcare';
  readonly objective: number;
  readonly title: string;
  readonly description: string;
  /** PromQL giving the error ratio per namespace over `$window`. */
  readonly errorRatio: string;
  readonly runbook: string;
}

/** The windows recorded for every SLO: the alerting pairs, plus 3 days for the dashboards. */
export const SLO_WINDOWS = ['5m', '30m', '1h', '6h', '3d'] as const;

/** Fast burn pages, slow burn opens a ticket. Factor x budget = the error ratio that trips it. */
export const BURN_RATE_ALERTS = [
  { long: '1h', short: '5m', factor: 14.4, for: '2m', severity: 'critical' },
  { long: '6h', short: '30m', factor: 6, for: '15m', severity: 'warning' },
] as const;

const ACCEPT = 'route="/api/memes",method="POST"';
const IMAGES = 'route=~"/m/:file|/images/\\\\*",method="GET"';

/**
 * bad / all per namespace. A namespace without a single bad event has no bad series at all,
 * so the numerator falls back to 0 x all: the ratio is 0, not missing, and the alerts and
 * dashboards see a healthy service instead of no data.
 */
const ratio = (bad: string, all: string): string =>
  `(\n  sum by (namespace) (rate(${bad}[$window]))\n  or\n  0 * sum by (namespace) (rate(${all}[$window]))\n)\n/\nsum by (namespace) (rate(${all}[$window]))`;

export const SLOS: readonly Slo[] = [
  {
    stem: 'memelab_meme_accept_errors',
    alert: 'MemelabMemeAcceptErrorBudgetBurn',
    tenant: 'memelab',
    objective: 0.999,
    title: 'Meme accept availability',
    description: '99.9 % of POST /api/memes requests answer without a 5xx.',
    errorRatio: ratio(
      `memelab_http_request_duration_seconds_count{${ACCEPT},status=~"5.."}`,
      `memelab_http_request_duration_seconds_count{${ACCEPT}}`,
    ),
    runbook: 'memelab',
  },
  {
    stem: 'memelab_meme_accept_slow',
    alert: 'MemelabMemeAcceptLatencyBudgetBurn',
    tenant: 'memelab',
    objective: 0.99,
    title: 'Meme accept latency',
    description: '99 % of POST /api/memes requests answer within 100 ms (p99 < 100 ms).',
    errorRatio:
      `1 - (\n  sum by (namespace) (rate(memelab_http_request_duration_seconds_bucket{${ACCEPT},le="0.1"}[$window]))\n` +
      `  /\n  sum by (namespace) (rate(memelab_http_request_duration_seconds_count{${ACCEPT}}[$window]))\n)`,
    runbook: 'memelab',
  },
  {
    stem: 'memelab_render_late',
    alert: 'MemelabRenderCompletionBudgetBurn',
    tenant: 'memelab',
    objective: 0.99,
    title: 'Render completion within 10 s',
    description: '99 % of accepted memes are rendered within 10 s of being accepted (a failed meme counts as late).',
    errorRatio:
      '1 - (\n  (\n    sum by (namespace) (rate(memelab_meme_end_to_end_seconds_bucket{outcome="done",le="10"}[$window]))\n' +
      '    or\n    0 * sum by (namespace) (rate(memelab_meme_end_to_end_seconds_count[$window]))\n  )\n' +
      '  /\n  sum by (namespace) (rate(memelab_meme_end_to_end_seconds_count[$window]))\n)',
    runbook: 'memelab',
  },
  {
    stem: 'memelab_image_get_errors',
    alert: 'MemelabImageGetErrorBudgetBurn',
    tenant: 'memelab',
    objective: 0.9995,
    title: 'Image GET availability',
    description: '99.95 % of image requests (GET /m/:file and GET /images/*) answer without a 5xx.',
    errorRatio: ratio(
      `memelab_http_request_duration_seconds_count{${IMAGES},status=~"5.."}`,
      `memelab_http_request_duration_seconds_count{${IMAGES}}`,
    ),
    runbook: 'memelab',
  },
  {
    stem: 'healthcare_api_request_errors',
    alert: 'HealthcareApiErrorBudgetBurn',
    tenant: 'healthcare',
    objective: 0.999,
    title: 'healthcare-api availability',
    description: '99.9 % of healthcare-api requests (health and metrics endpoints aside) answer without a 5xx.',
    errorRatio: ratio(
      'healthcare_http_request_duration_seconds_count{route!~"/healthz|/readyz|/metrics",status=~"5.."}',
      'healthcare_http_request_duration_seconds_count{route!~"/healthz|/readyz|/metrics"}',
    ),
    runbook: 'healthcare-api',
  },
];

export const sloRecord = (slo: Slo, window: string): string => `namespace:${slo.stem}:ratio_rate${window}`;

const budgetPercent = (slo: Slo): string => `${Number(((1 - slo.objective) * 100).toPrecision(6))} %`;

export const sloRecordingGroup = (slo: Slo): RuleGroup => ({
  name: `${slo.stem}.slo.rules`,
  rules: SLO_WINDOWS.map(
    (window): RecordingRule => ({
      record: sloRecord(slo, window),
      expr: slo.errorRatio.replaceAll('$window', window),
      labels: { slo: slo.stem, tenant: slo.tenant },
    }),
  ),
});

export const sloAlerts = (slo: Slo): AlertingRule[] =>
  BURN_RATE_ALERTS.map((burn) => {
    const threshold = Number((burn.factor * (1 - slo.objective)).toPrecision(6));
    return {
      alert: slo.alert,
      expr: `${sloRecord(slo, burn.long)} > ${threshold}\nand\n` + `${sloRecord(slo, burn.short)} > ${threshold}`,
      for: burn.for,
      labels: { severity: burn.severity, tenant: slo.tenant, slo: slo.stem, long: burn.long, short: burn.short },
      annotations: {
        summary: `${slo.title}: error budget burning ${burn.factor}x too fast.`,
        description:
          `${slo.description} Over the last ${burn.long} (and still in the last ${burn.short}) ` +
          `{{ $value | humanizePercentage }} of events were bad in namespace {{ $labels.namespace }}: ` +
          `at this rate the ${budgetPercent(slo)} monthly error budget lasts ${Math.round((30 * 24) / burn.factor)} hours.`,
        runbook_url: runbookUrl(slo.runbook, slo.alert),
      },
    };
  });
