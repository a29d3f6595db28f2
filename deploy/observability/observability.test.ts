import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
