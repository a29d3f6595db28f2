/**
 * `memelab stress` against distributed memelab (api + 2 workers, the machine's PostgreSQL
 * and RabbitMQ, an S3 server): fresh memes only, in an open model at a ladder of arrival
 * rates, then at twice the render capacity the ladder measured. Prints one JSON
 * line: each rate's figures (accept p50/p99, memes done per second, accept → done p99,
 * errors by status, lost), the highest rate that kept p99 accept under 50 ms with nothing
 * refused or lost, the render capacity (the most memes done per second on any rung), and a
 * run at twice that capacity.
 *
 *   npm run bench:stress -- [--rates 40,80,120,160,200] [--seconds 15] [--workers 2]
 *
 * Overload is shed, not queued without end: new memes get 503 RENDER_BACKLOG_FULL with
 * Retry-After once the render queue holds MAX_RENDER_BACKLOG jobs (set here to --backlog,
 * 400 by default, so the bound is reached within the run). Needs PostgreSQL and RabbitMQ on
 * 127.0.0.1.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { runStress, type StressSummary } from '../apps/cli/src/stress/stress-run.ts';
import {
  type DistributedBackends,
  type MemelabProcess,
  startDistributedBackends,
  startMemelab,
} from '../apps/cli/src/testing/process-stack.ts';

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '40,80,120,160,200' },
    seconds: { type: 'string', default: '15' },
    workers: { type: 'string', default: '2' },
    backlog: { type: 'string', default: '400' },
  },
});
const rates = (values.rates ?? '').split(',').map(Number);
const seconds = Number(values.seconds);
const workerCount = Number(values.workers);
if (!rates.every((rate) => rate > 0) || !(seconds > 0) || !(workerCount > 0)) {
  throw new Error('--rates takes positive numbers, --seconds and --workers positive numbers');
}
const P99_ACCEPT_GOAL_MS = 50;
const log = (message: string) => process.stderr.write(`${message}\n`);
const round = (value: number) => Math.round(value * 10) / 10;

const figures = (summary: StressSummary) => ({
  rate: summary.shape.kind === 'rate' ? summary.shape.ratePerSecond : null,
  sent: summary.requests,
  acceptP50Ms: round(summary.latencyMs.p50),
  acceptP99Ms: round(summary.latencyMs.p99),
  accepted: summary.memes?.accepted ?? 0,
  donePerSec: summary.memes?.donePerSecond ?? 0,
  doneP99Ms: round(summary.memes?.acceptToDoneMs.p99 ?? 0),
  errors: summary.errors,
  lost: summary.memes?.lost ?? 0,
});

let backends: DistributedBackends | undefined;
const processes: MemelabProcess[] = [];
try {
  backends = await startDistributedBackends({ separateProcess: true });
  const settings = { RATE_LIMIT_WRITES_PER_MINUTE: '1000000', MAX_RENDER_BACKLOG: values.backlog ?? '400' };
  const api = await startMemelab('api', { ...backends.env, ...settings });
  processes.push(api);
  for (let n = 0; n < workerCount; n++) processes.push(await startMemelab('worker', { ...backends.env, ...settings }));
  const target = new URL(`http://127.0.0.1:${api.port}`);
  const run = (ratePerSecond: number) => {
    log(`${ratePerSecond} memes/s for ${seconds} s...`);
    return runStress({
      target,
      shape: { kind: 'rate', ratePerSecond, rampMs: 0 },
      durationMs: seconds * 1000,
      mix: 'create=1',
      timeoutMs: 10_000,
      drainMs: 120_000,
      maxInFlight: 2000,
      connections: 64,
    });
  };
  const ladder = [];
  for (const rate of rates) ladder.push(figures(await run(rate)));
  const sustained = ladder.filter(
    (step) => step.acceptP99Ms < P99_ACCEPT_GOAL_MS && step.lost === 0 && Object.keys(step.errors).length === 0,
  );
  const best = sustained.at(-1);
  const capacity = Math.max(...ladder.map((step) => step.donePerSec));
  const overload = figures(await run(Math.max(1, Math.round(2 * capacity))));
  process.stdout.write(
    `${JSON.stringify({
      workers: workerCount,
      secondsPerRate: seconds,
      maxRenderBacklog: Number(values.backlog),
      ladder,
      sustainedRate: best?.rate ?? null,
      renderCapacityPerSec: capacity,
      overload,
      loadAverage: loadavg().map((value) => round(value)),
    })}\n`,
  );
} finally {
  for (const memelab of processes) memelab.child.kill('SIGTERM');
  await Promise.all(processes.map((memelab) => memelab.exited));
  await backends?.cleanup();
}
