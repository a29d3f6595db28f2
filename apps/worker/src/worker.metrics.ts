import { Counter, Gauge, Histogram, type Registry } from '@memelab/platform';

export interface WorkerMetrics {
  readonly jobs: Counter<'outcome'>;
  readonly renderDuration: Histogram<'outcome'>;
  readonly inFlight: Gauge;
  readonly consuming: Gauge;
}

export const createWorkerMetrics = (registry: Registry): WorkerMetrics => ({
  jobs: new Counter({
    name: 'memelab_worker_jobs_total',
    help: 'Render jobs handled, by outcome (done, retry, failed).',
    labelNames: ['outcome'],
    registers: [registry],
  }),
  renderDuration: new Histogram({
    name: 'memelab_render_duration_seconds',
    help: 'Time to render and store one meme.',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
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
