import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeHtml, renderHtmlReport } from '../stress/stress-report.ts';
import type { StressSummary } from '../stress/stress-run.ts';
import type { ChaosExperiment } from './chaos-experiments.ts';
import type { InvariantResult } from './chaos-invariants.ts';
import type { ChaosReport, ChaosRunOptions } from './chaos-runner.ts';

/**
 * An experiment that does not fit the meme stack's load-fault-heal shape (containers under
 * resource limits, another service) starts what it needs itself and judges itself; the
 * runner hands it the options and writes nothing for it.
 */
export const standaloneExperiment = (definition: {
  readonly name: string;
  readonly title: string;
  readonly hypothesis: string;
  readonly run: (options: ChaosRunOptions) => Promise<ChaosReport>;
}): ChaosExperiment => ({
  ...definition,
  workers: 0,
  readiness: 'either',
  inject: () => Promise.reject(new Error(`${definition.name} runs its own stack`)),
});

/** Events dated in seconds since the experiment started, as the reports show them. */
export class EventLog {
  readonly startedAt = new Date().toISOString();
  private readonly origin = performance.now();
  readonly events: Array<{ second: number; event: string }> = [];

  constructor(private readonly log: (message: string) => void) {}

  note(event: string, at: number = performance.now()): void {
    this.events.push({ second: this.secondOf(at), event });
    this.events.sort((a, b) => a.second - b.second);
    this.log(event);
  }

  secondOf(at: number): number {
    return Math.round((at - this.origin) / 100) / 10;
  }
}

/** Writes `<out>/<experiment>-<time>.json` and a self-contained `.html` beside it (every experiment's report). */
export const writeChaosReport = async (
  report: ChaosReport,
  outDir: string,
  options: { readonly details?: unknown; readonly summary?: StressSummary } = {},
): Promise<void> => {
  await mkdir(outDir, { recursive: true });
  const base = join(outDir, `${report.experiment}-${report.startedAt.replace(/[:.]/g, '-')}`);
  await writeFile(`${base}.json`, `${JSON.stringify({ ...report, details: options.details }, null, 2)}\n`);
  const rows = report.invariants
    .map(
      (r) =>
        `<tr><td>${r.passed ? 'pass' : '<b>FAIL</b>'}</td><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.detail)}</td></tr>`,
    )
    .join('');
  const timeline = report.timeline.map((t) => `<li>${t.second} s: ${escapeHtml(t.event)}</li>`).join('');
  const body = `<p>${escapeHtml(report.hypothesis)}</p>
<p>Fault ${report.faultSeconds} s; ready again ${report.recoveryMs ?? 'never'} ms after; server errors ${escapeHtml(JSON.stringify(report.serverErrors))}.</p>
<table border="1" cellpadding="4"><tr><th></th><th>invariant</th><th>observed</th></tr>${rows}</table>
<h2>Figures</h2><pre>${escapeHtml(JSON.stringify(report.figures ?? {}, null, 2))}</pre>
<h2>Timeline</h2><ul>${timeline}</ul>
${options.details === undefined ? '' : `<h2>Details</h2><pre>${escapeHtml(JSON.stringify(options.details, null, 2))}</pre>`}`;
  const title = `memelab chaos: ${report.title}`;
  const html =
    options.summary === undefined
      ? `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
        `<body style="font-family: sans-serif; max-width: 60rem; margin: 2rem auto"><h1>${escapeHtml(title)}</h1>${body}</body></html>\n`
      : await renderHtmlReport(options.summary, [], { title, html: body });
  await writeFile(`${base}.html`, html);
};

export const passedAll = (invariants: readonly InvariantResult[]): boolean =>
  invariants.length > 0 && invariants.every((result) => result.passed);
