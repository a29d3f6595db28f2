import type { PoolStats } from '@memelab/adapters';
import { Counter, createHttpDurationHistogram, Gauge, type Histogram, type Registry } from '@memelab/platform';

export const METRICS_PREFIX = 'healthcare_';

export interface HealthcareMetrics {
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly poolRejections: Counter;
}

/**
 * RED metrics by route template and the database pool's connections (total, idle, waiting,
 * max) at scrape time. Labels name routes and states only: no id or search value reaches
 * a label.
 */
export const createHealthcareMetrics = (
  registry: Registry,
  poolStats: () => PoolStats | undefined,
): HealthcareMetrics => {
  new Gauge({
    name: `${METRICS_PREFIX}db_pool_connections`,
    help: 'Database pool connections by state: total open, idle, callers waiting, and the configured max.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const stats = poolStats();
      if (stats === undefined) return;
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
      this.set({ state: 'max' }, stats.max);
    },
  });
  return {
    httpDuration: createHttpDurationHistogram(registry, METRICS_PREFIX),
    poolRejections: new Counter({
      name: `${METRICS_PREFIX}db_pool_rejections_total`,
      help: 'Requests refused with 503 because no database connection became free in time.',
      registers: [registry],
    }),
  };
};
