import type { PoolStats } from '@memelab/adapters';
import { Counter, createHttpDurationHistogram, Gauge, type Histogram, type Registry } from '@memelab/platform';

export const METRICS_PREFIX = 'healthcare_';

export const AUDIT_ACTIONS = ['read', 'create', 'update', 'delete'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface HealthcareMetrics {
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly poolRejections: Counter;
  readonly bookingConflicts: Counter;
  readonly auditWrites: Counter<'action'>;
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
  const auditWrites = new Counter({
    name: `${METRICS_PREFIX}audit_writes_total`,
    help: 'Audit rows written, by action: one per successful read, search, create, update or delete of a record.',
    labelNames: ['action'],
    registers: [registry],
  });
  // Every action's series exists from the start, so a rate over it is 0 rather than absent.
  for (const action of AUDIT_ACTIONS) auditWrites.inc({ action }, 0);
  return {
    httpDuration: createHttpDurationHistogram(registry, METRICS_PREFIX),
    bookingConflicts: new Counter({
      name: `${METRICS_PREFIX}booking_conflicts_total`,
      help: 'Bookings refused with 409 DOUBLE_BOOKING: the practitioner already has an overlapping appointment.',
      registers: [registry],
    }),
    auditWrites,
    poolRejections: new Counter({
      name: `${METRICS_PREFIX}db_pool_rejections_total`,
      help: 'Requests refused with 503 because no database connection became free in time.',
      registers: [registry],
    }),
  };
};

const AUDIT_ACTION_OF: Readonly<Record<string, AuditAction>> = {
  GET: 'read',
  POST: 'create',
  PUT: 'update',
  PATCH: 'update',
  DELETE: 'delete',
};

/**
 * Record routes write their audit row in the same statement as the access itself, so a
 * successful answer on one means one audit row; a 409 on POST /Appointment is always a
 * double booking. Reading the audit trail (GET /audit) is not itself audited.
 */
export const countRecordAccess = (
  metrics: Pick<HealthcareMetrics, 'auditWrites' | 'bookingConflicts'>,
  method: string,
  route: string,
  status: number,
  authenticatedRoute: boolean,
): void => {
  if (route === '/Appointment' && method === 'POST' && status === 409) metrics.bookingConflicts.inc();
  const action = AUDIT_ACTION_OF[method];
  if (authenticatedRoute && route !== '/audit' && status < 400 && action !== undefined) {
    metrics.auditWrites.inc({ action });
  }
};
