import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { GateVerdict } from './stress-gate.ts';
import type { StressSummary } from './stress-run.ts';

const pad = (cells: readonly string[], widths: readonly number[]): string =>
  cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');

const table = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  return [pad(header, widths), ...rows.map((row) => pad(row, widths))].join('\n');
};

const errorsText = (errors: Record<string, number>): string =>
  Object.entries(errors)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ') || '-';

/** The end-of-run table for a person at the terminal. */
export const formatSummaryTable = (summary: StressSummary, verdicts: readonly GateVerdict[] = []): string => {
  const rows = [
    ...Object.entries(summary.byKind).map(([kind, stats]) => [
      kind,
      String(stats.requests),
      (stats.requests / summary.durationS).toFixed(1),
      stats.latencyMs.p50.toFixed(1),
      stats.latencyMs.p99.toFixed(1),
      stats.latencyMs.max.toFixed(1),
      errorsText(stats.errors),
    ]),
    [
      'all',
      String(summary.requests),
      summary.rps.toFixed(1),
      summary.latencyMs.p50.toFixed(1),
      summary.latencyMs.p99.toFixed(1),
      summary.latencyMs.max.toFixed(1),
      errorsText(summary.errors),
    ],
  ];
  const lines = [
    `${summary.workload} at ${summary.target}, ${summary.durationS} s, ${shapeText(summary)}`,
    '',
    table(['requests', 'count', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors'], rows),
  ];
  if (summary.memes !== undefined) {
    const { memes } = summary;
    lines.push(
      '',
      `memes: ${memes.accepted} accepted, ${memes.done} done (${memes.donePerSecond}/s), ${memes.failed} failed, ${memes.lost} lost; ` +
        `accept → done p50 ${memes.acceptToDoneMs.p50.toFixed(0)} ms, p99 ${memes.acceptToDoneMs.p99.toFixed(0)} ms` +
        (summary.queueDepthMax === null ? '' : `; queue depth max ${summary.queueDepthMax}`),
    );
  }
  if (verdicts.length > 0) {
    lines.push(
      '',
      ...verdicts.map((v) => `${v.passed ? 'pass' : 'FAIL'}  ${v.condition}  (actual ${v.actual ?? 'n/a'})`),
    );
  }
  return lines.join('\n');
};

const shapeText = (summary: StressSummary): string =>
  summary.shape.kind === 'rate'
    ? `open model at ${summary.shape.ratePerSecond} req/s${summary.shape.rampMs > 0 ? ` (ramp ${summary.shape.rampMs / 1000} s)` : ''}`
    : `closed model, ${summary.shape.clients} clients`;

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** JSON for a <script> element: `</script>` and friends cannot end it early. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * One self-contained HTML file: the summary table and charts over time (throughput,
 * latency, errors, queue depth) drawn by uPlot, whose script and styles are inlined so the
 * report opens anywhere, offline.
 */
export const renderHtmlReport = async (
  summary: StressSummary,
  verdicts: readonly GateVerdict[] = [],
  section: { title: string; html: string } | undefined = undefined,
): Promise<string> => {
  const require = createRequire(import.meta.url);
  const [uplotJs, uplotCss] = await Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  ]);
  const title = section?.title ?? `memelab stress: ${summary.workload} ${summary.startedAt}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${uplotCss}
body{font:14px system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222}
pre{background:#f5f5f5;padding:1rem;overflow:auto}h2{margin-top:2rem}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
${section?.html ?? ''}
<pre>${escapeHtml(formatSummaryTable(summary, verdicts))}</pre>
<h2>Throughput (requests per second)</h2><div id="throughput"></div>
<h2>Latency (ms)</h2><div id="latency"></div>
<h2>Errors per second</h2><div id="errors"></div>
${summary.memes === undefined ? '' : '<h2>Queue depth and memes done</h2><div id="queue"></div>'}
<h2>Summary (JSON)</h2><pre>${escapeHtml(JSON.stringify({ ...summary, timeline: undefined }, null, 2))}</pre>
<script>${uplotJs}</script>
<script>
const summary = ${scriptJson(summary)};
const t = summary.timeline.map((p) => p.second);
const width = Math.min(1000, document.body.clientWidth);
const chart = (id, label, series) => {
  const el = document.getElementById(id);
  if (!el) return;
  new uPlot({ width, height: 260, scales: { x: { time: false } }, axes: [{ label: 'seconds' }, { label }],
    series: [{}, ...series.map(([name, color]) => ({ label: name, stroke: color, width: 2 }))] },
    [t, ...series.map(([, , values]) => values)], el);
};
chart('throughput', 'req/s', [['ok', '#2a7', summary.timeline.map((p) => p.ok)]]);
chart('latency', 'ms', [['p50', '#27a', summary.timeline.map((p) => p.p50)], ['p99', '#a27', summary.timeline.map((p) => p.p99)]]);
chart('errors', 'errors/s', [['errors', '#c33', summary.timeline.map((p) => p.errors)]]);
chart('queue', 'count', [['queue depth', '#a72', summary.timeline.map((p) => p.queueDepth)], ['memes done', '#2a7', summary.timeline.map((p) => p.done)]]);
</script></body></html>
`;
};
