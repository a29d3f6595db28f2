import { collectDefaultMetrics, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** A registry per process with Node's default metrics (event loop lag, heap, GC, handles). */
export const createMetricsRegistry = (labels: Readonly<Record<string, string>> = {}): Registry => {
  const registry = new Registry();
  registry.setDefaultLabels({ ...labels });
  collectDefaultMetrics({ register: registry, prefix: 'memelab_' });
  return registry;
};
