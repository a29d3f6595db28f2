import {
  type Dashboard,
  type DataSourceRef,
  type Panel,
  type RowPanel,
  ThresholdsMode,
  type VariableModel,
} from '@grafana/schema';

/**
 * A small typed layer over @grafana/schema's Dashboard: panels are laid out on the 24-column
 * grid in order, numbered, and every query goes through the `$datasource` variable, so the
 * generated JSON has no datasource uid, instance or namespace written into it.
 */

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, resolved by Grafana.
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** Grafana variables every expression may use; the live test gives each a concrete value. */
export const SELECTOR = 'namespace=~"$namespace", instance=~"$instance"';

export interface Query {
  readonly expr: string;
  readonly legend?: string;
}

export type PanelKind = 'timeseries' | 'stat' | 'heatmap' | 'table' | 'gauge';

export interface PanelSpec {
  readonly kind: PanelKind;
  readonly title: string;
  readonly description: string;
  readonly queries: readonly Query[];
  readonly unit?: string;
  /** Columns on the 24-wide grid (default 12) and rows (default 8). */
  readonly width?: number;
  readonly height?: number;
  /** Thresholds for stat and gauge panels: value at which the colour turns. */
  readonly thresholds?: readonly { readonly value: number | null; readonly color: string }[];
  readonly min?: number;
  readonly max?: number;
  readonly stack?: boolean;
}

export interface RowSpec {
  readonly row: string;
  readonly panels: readonly PanelSpec[];
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  /** The metric whose labels fill the namespace and instance pickers. */
  readonly variableMetric: string;
  readonly rows: readonly RowSpec[];
  /** Kubernetes-only dashboards (kube-state-metrics, cAdvisor) say so in their description. */
  readonly links?: Dashboard['links'];
}

const datasourceVariable: VariableModel = {
  name: 'datasource',
  label: 'Data source',
  type: 'datasource',
  query: 'prometheus',
  description: 'The Prometheus to read from.',
};

const labelVariable = (name: string, label: string, query: string, description: string): VariableModel => ({
  name,
  label,
  type: 'query',
  datasource: PROMETHEUS,
  query: { query, refId: `${name}-variable` },
  refresh: 2,
  includeAll: true,
  multi: true,
  // Matches series without the label too: Compose has no namespaces.
  allValue: '.*',
  current: { text: 'All', value: '$__all', selected: true },
  sort: 1,
  description,
});

const panelJson = (spec: PanelSpec, id: number, x: number, y: number): Panel => {
  const width = spec.width ?? 12;
  const height = spec.height ?? 8;
  const panel: Panel = {
    id,
    type: spec.kind,
    title: spec.title,
    description: spec.description,
    datasource: PROMETHEUS,
    gridPos: { x, y, w: width, h: height },
    targets: spec.queries.map((query, index) => ({
      refId: String.fromCharCode(65 + index),
      datasource: PROMETHEUS,
      expr: query.expr,
      legendFormat: query.legend ?? '__auto',
      ...(spec.kind === 'heatmap' ? { format: 'heatmap' } : {}),
      ...(spec.kind === 'table' ? { format: 'table', instant: true } : {}),
    })),
    fieldConfig: {
      defaults: {
        ...(spec.unit === undefined ? {} : { unit: spec.unit }),
        ...(spec.min === undefined ? {} : { min: spec.min }),
        ...(spec.max === undefined ? {} : { max: spec.max }),
        ...(spec.thresholds === undefined
          ? {}
          : { thresholds: { mode: ThresholdsMode.Absolute, steps: spec.thresholds.map((step) => ({ ...step })) } }),
        ...(spec.kind === 'timeseries' && spec.stack === true ? { custom: { stacking: { mode: 'normal' } } } : {}),
      },
      overrides: [],
    },
    options:
      spec.kind === 'heatmap'
        ? { calculate: false, yAxis: { unit: spec.unit ?? 's' }, cellGap: 1 }
        : spec.kind === 'stat'
          ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value' }
          : { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
  };
  return panel;
};

/** The dashboard as Grafana stores it (schemaVersion 39: Grafana 10.4 and later read it). */
export const buildDashboard = (spec: DashboardSpec): Dashboard => {
  const panels: (Panel | RowPanel)[] = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    panels.push({
      id: id++,
      type: 'row',
      title: row.row,
      collapsed: false,
      gridPos: { x: 0, y, w: 24, h: 1 },
      panels: [],
    });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const panel of row.panels) {
      const width = panel.width ?? 12;
      if (x + width > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      panels.push(panelJson(panel, id++, x, y));
      x += width;
      rowHeight = Math.max(rowHeight, panel.height ?? 8);
    }
    y += rowHeight;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: [...spec.tags],
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timezone: 'browser',
    templating: {
      list: [
        datasourceVariable,
        labelVariable(
          'namespace',
          'Namespace',
          `label_values(${spec.variableMetric}, namespace)`,
          'Kubernetes namespace; All also matches Compose, which has none.',
        ),
        labelVariable(
          'instance',
          'Instance',
          `label_values(${spec.variableMetric}{namespace=~"$namespace"}, instance)`,
          'Scrape target (pod or container address).',
        ),
      ],
    },
    annotations: { list: [] },
    links: spec.links ?? [],
    panels,
  };
};

/** Every PromQL expression of a dashboard, with the panel it belongs to. */
export const dashboardExpressions = (dashboard: Dashboard): { panel: string; expr: string }[] =>
  (dashboard.panels ?? []).flatMap((panel) =>
    'targets' in panel && Array.isArray(panel.targets)
      ? panel.targets.map((target) => ({ panel: panel.title ?? '', expr: String(target.expr) }))
      : [],
  );
