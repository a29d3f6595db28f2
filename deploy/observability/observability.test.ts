import { readFileSync } from 'node:fs';
import type { Dashboard, Panel, RowPanel } from '@grafana/schema';
import { describe, expect, it } from 'vitest';
import { withCatalogue } from './src/catalogue-table.ts';
import { dashboardExpressions } from './src/dashboards/builder.ts';
import { DASHBOARDS } from './src/dashboards/dashboards.ts';
import { generatedFiles } from './src/generated-files.ts';
import { ALL_ALERTS, ALL_CASES } from './src/rule-tests.ts';
import { headingAnchor, isAlert, RUNBOOK_BASE } from './src/rule-types.ts';
import { RULE_FILES } from './src/rules.ts';

const root = new URL('./', import.meta.url);
const repo = new URL('../../', import.meta.url);
const read = (path: string, base = root): string => readFileSync(new URL(path, base), 'utf8');

describe('generated observability files', () => {
  it('are committed as the generator writes them (npm run observability:generate)', () => {
    const stale = [...generatedFiles()].filter(([path, content]) => {
      try {
        return read(path) !== content;
      } catch {
        return true;
      }
    });
    expect(stale.map(([path]) => path)).toEqual([]);
  });

  it('include the metric catalogue of docs/observability.md', () => {
    const docs = read('docs/observability.md', repo);
    expect(withCatalogue(docs)).toBe(docs);
  });
});

describe('alerting rules', () => {
  const alerts = ALL_ALERTS();

  it('each carry severity, summary, description and a runbook_url', () => {
    for (const rule of alerts) {
      expect(['critical', 'warning', 'info'], rule.alert).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length, rule.alert).toBeGreaterThan(10);
      expect(rule.annotations.description.length, rule.alert).toBeGreaterThan(10);
      expect(rule.annotations.runbook_url.startsWith(`${RUNBOOK_BASE}/`), rule.alert).toBe(true);
    }
  });

  it('point at a runbook section that exists', () => {
    const missing = alerts.filter((rule) => {
      const [file, anchor] = rule.annotations.runbook_url.slice(RUNBOOK_BASE.length + 1).split('#');
      let text: string;
      try {
        text = read(`docs/runbooks/${file}`, repo);
      } catch {
        return true;
      }
      const anchors = [...text.matchAll(/^#{2,3} (.+)$/gm)].map((match) => headingAnchor(match[1] ?? ''));
      return !anchors.includes(anchor ?? '');
    });
    expect(missing.map((rule) => rule.annotations.runbook_url)).toEqual([]);
  });

  it('each have a promtool case that fires them and one that keeps them silent', () => {
    const cases = ALL_CASES();
    for (const rule of alerts) {
      const own = cases.filter((testCase) => testCase.alert === rule.alert);
      expect(
        own.some((testCase) => testCase.fires.some((fire) => fire.labels.severity === rule.labels.severity)),
        `${rule.alert} (${rule.labels.severity}) fires in a case`,
      ).toBe(true);
      expect(
        own.some((testCase) => testCase.fires.length === 0),
        `${rule.alert} stays silent in a case`,
      ).toBe(true);
    }
  });

  it('and recording rules follow level:metric:operations', () => {
    const records = RULE_FILES.flatMap((file) => file.groups.flatMap((group) => group.rules)).flatMap((rule) =>
      isAlert(rule) ? [] : [rule],
    );
    expect(records.length).toBeGreaterThan(20);
    for (const rule of records) expect(rule.record).toMatch(/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/);
  });
});

const panelsOf = (dashboard: Dashboard): Panel[] =>
  (dashboard.panels ?? []).filter((panel): panel is Panel => panel.type !== 'row');

describe('dashboards', () => {
  const committed = DASHBOARDS.map(
    (dashboard) => JSON.parse(read(`grafana/dashboards/${dashboard.uid}.json`)) as Dashboard,
  );

  it('cover the overview, worker, healthcare-api, PostgreSQL, nodes and pods, and SLO summary', () => {
    expect(committed.map((dashboard) => dashboard.uid).sort()).toEqual(
      ['healthcare-api', 'memelab-overview', 'memelab-worker', 'nodes-and-pods', 'postgresql', 'slo-summary'].sort(),
    );
  });

  it.each(committed.map((dashboard) => [dashboard.uid, dashboard] as const))(
    '%s has unique panel ids',
    (_, dashboard) => {
      const ids = (dashboard.panels ?? []).map((panel: Panel | RowPanel) => panel.id);
      expect(ids.every((id) => typeof id === 'number')).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    },
  );

  it.each(committed.map((dashboard) => [dashboard.uid, dashboard] as const))(
    '%s reads Prometheus through its datasource variable and is templated by namespace and instance',
    (_, dashboard) => {
      const variables = dashboard.templating?.list ?? [];
      expect(variables.find((variable) => variable.name === 'datasource')?.type).toBe('datasource');
      expect(variables.map((variable) => variable.name)).toEqual(expect.arrayContaining(['namespace', 'instance']));
      for (const panel of panelsOf(dashboard)) {
        expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: `$\{datasource}` });
        for (const target of panel.targets ?? []) expect(target.datasource, panel.title).toEqual(panel.datasource);
      }
    },
  );

  it.each(committed.map((dashboard) => [dashboard.uid, dashboard] as const))(
    '%s names no instance, host or address',
    (_, dashboard) => {
      for (const { panel, expr } of dashboardExpressions(dashboard)) {
        expect(expr, panel).not.toMatch(/instance\s*=~?\s*"(?!\$instance)/);
        expect(expr, panel).not.toMatch(/namespace\s*=~?\s*"(?!\$namespace)/);
        expect(expr, panel).not.toMatch(/\d+\.\d+\.\d+\.\d+|localhost|:\d{2,5}\b/);
      }
    },
  );

  it.each(committed.map((dashboard) => [dashboard.uid, dashboard] as const))(
    '%s describes every panel and keeps them on the 24-column grid',
    (_, dashboard) => {
      expect(dashboard.description?.length).toBeGreaterThan(20);
      for (const panel of panelsOf(dashboard)) {
        expect(panel.description?.length ?? 0, panel.title).toBeGreaterThan(10);
        expect((panel.gridPos?.x ?? 0) + (panel.gridPos?.w ?? 0), panel.title).toBeLessThanOrEqual(24);
        expect(panel.targets?.length ?? 0, panel.title).toBeGreaterThan(0);
      }
    },
  );
});

describe('runbooks', () => {
  it('each open with a LogQL query whose stream selector uses only bounded labels', () => {
    const files = ['memelab', 'healthcare-api', 'postgresql', 'kubernetes', 'node', 'prometheus'];
    for (const file of files) {
      const text = read(`docs/runbooks/${file}.md`, repo);
      const query = /```logql\n([^`]+)```/.exec(text)?.[1] ?? '';
      expect(query, file).toMatch(/^\{[^}]+\}/);
      const labels = [...(/^\{([^}]+)\}/.exec(query)?.[1] ?? '').matchAll(/(\w+)\s*=~?/g)].map((match) => match[1]);
      for (const label of labels) expect(['namespace', 'app', 'level', 'job', 'node'], file).toContain(label);
    }
  });
});
