import { Counter, Gauge, Histogram, type Registry } from '@memelab/platform';

export interface WorkerMetrics {
  readonly jobs: Counter<'outcome'>;
  readonly renderDuration: Histogram<'outcome' | 'format'>;
  readonly deadLettered: Counter<'reason'>;
  readonly queueWait: Histogram;
  readonly endToEnd: Histogram<'outcome'>;
  readonly inFlight: Gauge;
  readonly consuming: Gauge;
}

/**
 * Starts a labelled counter at 0 for each known label value, so the first increment is a
 * rise Prometheus sees (a series that appears already at 1 shows no rate) and ratios have a
 * denominator before anything has gone wrong.
 */
const fromZero = <T extends string>(counter: Counter<T>, label: T, values: readonly string[]): Counter<T> => {
  for (const value of values) counter.inc({ [label]: value } as Partial<Record<T, string>>, 0);
  return counter;
};

export const createWorkerMetrics = (registry: Registry): WorkerMetrics => ({
  jobs: fromZero(
    new Counter({
      name: 'memelab_worker_jobs_total',
      help: 'Render jobs handled, by outcome (done, retry, failed).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    'outcome',
    ['done', 'retry', 'failed'],
  ),
  renderDuration: new Histogram({
    name: 'memelab_render_duration_seconds',
    help: 'Time to render and store one meme, by outcome (done, error) and image format.',
    labelNames: ['outcome', 'format'],
    // A meme renders in about 3 ms of CPU (docs/benchmarks.md) and 5-20 ms with its store
    // and database calls; the tail covers a throttled or contended worker.
    buckets: [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  }),
  deadLettered: fromZero(
    new Counter({
      name: 'memelab_worker_jobs_dead_lettered_total',
      help: 'Render jobs moved to the dead-letter queue, by reason (bad_input, attempts_exhausted, unknown_meme).',
      labelNames: ['reason'],
      registers: [registry],
    }),
    'reason',
    ['bad_input', 'attempts_exhausted', 'unknown_meme'],
  ),
  queueWait: new Histogram({
    name: 'memelab_job_queue_wait_seconds',
    help: 'Time from publishing a render job to a worker starting its first attempt.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  }),
  endToEnd: new Histogram({
    name: 'memelab_meme_end_to_end_seconds',
    help: 'Time from accepting a meme to it being done or failed for good, by outcome; the render SLO counts done within 10 s.',
    labelNames: ['outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
    registers: [registry],
  }),
  inFlight: new Gauge({
    name: 'memelab_worker_jobs_in_flight',
    help: 'Render jobs being worked on now.',
    registers: [registry],
  }),
  consuming: new Gauge({
    name: 'memelab_worker_consuming',
    help: '1 while the worker takes render jobs, 0 while it waits for its database or object store.',
    registers: [registry],
  }),
});
