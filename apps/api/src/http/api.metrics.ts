import { Counter, Gauge, Histogram, type Registry } from '@memelab/platform';

export interface ApiMetrics {
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Requests being answered now, event streams included. */
  readonly httpInFlight: Gauge;
  readonly memesAccepted: Counter<'outcome'>;
  readonly jobsPublished: Counter<'via'>;
  readonly publishFailures: Counter;
  readonly sweptMemes: Counter;
  readonly queueDepth: Gauge<'queue'>;
  readonly eventStreams: Gauge;
  readonly cacheHits: Counter<'cache'>;
  readonly cacheMisses: Counter<'cache'>;
  readonly cacheEvictions: Counter<'cache'>;
  /** What each in-memory cache holds, read at scrape time: register a cache's stats by its name. */
  readonly cacheContents: Map<string, () => { bytes?: number; entries: number }>;
  readonly cacheBytes: Gauge<'cache'>;
  readonly cacheEntries: Gauge<'cache'>;
}

/** Counts one cache's hits, misses and evictions under its name. */
export const cacheObserver = (metrics: ApiMetrics, cache: string) => {
  const hits = metrics.cacheHits.labels({ cache });
  const misses = metrics.cacheMisses.labels({ cache });
  const evictions = metrics.cacheEvictions.labels({ cache });
  return { hit: () => hits.inc(), miss: () => misses.inc(), evicted: () => evictions.inc() };
};

/**
 * RED metrics for HTTP (rate and errors from the histogram's count by status, duration
 * from its buckets), the job flow, and the queue depth this instance sees, which the
 * worker autoscaler reads.
 */
export const createApiMetrics = (
  registry: Registry,
  queueDepths: () => Promise<{ render: number; dead: number }>,
): ApiMetrics => {
  const cacheContents: ApiMetrics['cacheContents'] = new Map();
  return {
    httpDuration: new Histogram({
      name: 'memelab_http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    memesAccepted: new Counter({
      name: 'memelab_memes_accepted_total',
      help: 'Meme requests accepted, by outcome (new, existing, retried).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    jobsPublished: new Counter({
      name: 'memelab_jobs_published_total',
      help: 'Render jobs published to the queue, by path (api, sweeper).',
      labelNames: ['via'],
      registers: [registry],
    }),
    publishFailures: new Counter({
      name: 'memelab_job_publish_failures_total',
      help: 'Render jobs that could not be published (left queued for the sweeper).',
      registers: [registry],
    }),
    sweptMemes: new Counter({
      name: 'memelab_swept_memes_total',
      help: 'Memes the sweeper found left queued and republished.',
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'memelab_queue_depth',
      help: 'Jobs waiting in the render queue and in the dead-letter queue, as seen at scrape time.',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        try {
          const depths = await queueDepths();
          this.set({ queue: 'render' }, depths.render);
          this.set({ queue: 'dead' }, depths.dead);
        } catch {
          // The broker is down: leave the last values; readiness reports the outage.
        }
      },
    }),
    httpInFlight: new Gauge({
      name: 'memelab_http_requests_in_flight',
      help: 'HTTP requests being answered now (open event streams included).',
      registers: [registry],
    }),
    eventStreams: new Gauge({
      name: 'memelab_event_streams_open',
      help: 'Server-sent event streams open on this instance.',
      registers: [registry],
    }),
    cacheHits: new Counter({
      name: 'memelab_cache_hits_total',
      help: 'Lookups answered from an in-memory cache (images: image bytes; memes: rendered memes by id or memegen URL).',
      labelNames: ['cache'],
      registers: [registry],
    }),
    cacheMisses: new Counter({
      name: 'memelab_cache_misses_total',
      help: 'Lookups an in-memory cache could not answer, which went to the object store or the database.',
      labelNames: ['cache'],
      registers: [registry],
    }),
    cacheEvictions: new Counter({
      name: 'memelab_cache_evictions_total',
      help: 'Entries dropped from an in-memory cache to stay within its size.',
      labelNames: ['cache'],
      registers: [registry],
    }),
    cacheContents,
    cacheBytes: new Gauge({
      name: 'memelab_cache_bytes',
      help: 'Bytes held by an in-memory cache.',
      labelNames: ['cache'],
      registers: [registry],
      collect() {
        for (const [cache, stats] of cacheContents) {
          const { bytes } = stats();
          if (bytes !== undefined) this.set({ cache }, bytes);
        }
      },
    }),
    cacheEntries: new Gauge({
      name: 'memelab_cache_entries',
      help: 'Entries held by an in-memory cache.',
      labelNames: ['cache'],
      registers: [registry],
      collect() {
        for (const [cache, stats] of cacheContents) this.set({ cache }, stats().entries);
      },
    }),
  };
};
