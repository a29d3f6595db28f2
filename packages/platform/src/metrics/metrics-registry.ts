import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * A registry per process with Node's default metrics (event loop lag, heap, GC, handles),
 * named `<prefix>process_...`: each service keeps its own metric namespace.
 */
export const createMetricsRegistry = (
  labels: Readonly<Record<string, string>> = {},
  { prefix = 'memelab_' }: { readonly prefix?: string } = {},
): Registry => {
  const registry = new Registry();
  registry.setDefaultLabels({ ...labels });
  collectDefaultMetrics({ register: registry, prefix });
  return registry;
};

/**
 * The RED histogram of an HTTP service: rate and errors from its count by status,
 * duration from its buckets. Labelled by route template, never by URL, so no identifier
 * from a path reaches a label.
 */
export const createHttpDurationHistogram = (
  registry: Registry,
  prefix: string,
): Histogram<'method' | 'route' | 'status'> =>
  new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'HTTP request duration by method, route template and status code.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

/**
 * `<prefix>build_info{version, revision, node_version} 1`: which build runs where, joinable
 * onto any other series of the instance (`* on (instance) group_left (version) ...`).
 */
export const registerBuildInfo = (
  registry: Registry,
  prefix: string,
  build: { readonly version: string; readonly revision: string },
): void => {
  new Gauge({
    name: `${prefix}build_info`,
    help: 'Always 1; the labels name the running build.',
    labelNames: ['version', 'revision', 'node_version'],
    registers: [registry],
  }).set({ version: build.version, revision: build.revision, node_version: process.version }, 1);
};
