import { SLOS, sloRecord } from '../slo.ts';
import { buildDashboard, type DashboardSpec, type PanelSpec, SELECTOR } from './builder.ts';

const S = `{${SELECTOR}}`;
const sel = (extra: string): string => `{${SELECTOR}, ${extra}}`;
const NS = 'namespace=~"$namespace"';

const red = (prefix: string, routeFilter: string): PanelSpec[] => [
  {
    kind: 'timeseries',
    title: 'Requests per second by route',
    description: 'Request rate by route template and status class (R of RED).',
    unit: 'reqps',
    queries: [
      {
        expr: `sum by (route, method) (rate(${prefix}http_request_duration_seconds_count${sel(routeFilter)}[$__rate_interval]))`,
        legend: '{{method}} {{route}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Error ratio (5xx)',
    description: 'Share of requests answered with a 5xx, by route template (E of RED).',
    unit: 'percentunit',
    queries: [
      {
        // No 5xx at all is a ratio of 0, not an empty panel.
        expr:
          `(sum by (route) (rate(${prefix}http_request_duration_seconds_count${sel(`${routeFilter}, status=~"5.."`)}[$__rate_interval]))\n` +
          `or 0 * sum by (route) (rate(${prefix}http_request_duration_seconds_count${sel(routeFilter)}[$__rate_interval])))\n/ ` +
          `sum by (route) (rate(${prefix}http_request_duration_seconds_count${sel(routeFilter)}[$__rate_interval]))`,
        legend: '{{route}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Latency p50 / p99 by route',
    description: 'Request duration quantiles from the histogram, by route template (D of RED).',
    unit: 's',
    queries: [
      {
        expr: `histogram_quantile(0.99, sum by (route, le) (rate(${prefix}http_request_duration_seconds_bucket${sel(routeFilter)}[$__rate_interval])))`,
        legend: 'p99 {{route}}',
      },
      {
        expr: `histogram_quantile(0.5, sum by (route, le) (rate(${prefix}http_request_duration_seconds_bucket${sel(routeFilter)}[$__rate_interval])))`,
        legend: 'p50 {{route}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Requests by status',
    description: 'Request rate by HTTP status code, all routes.',
    unit: 'reqps',
    stack: true,
    queries: [
      {
        expr: `sum by (status) (rate(${prefix}http_request_duration_seconds_count${sel(routeFilter)}[$__rate_interval]))`,
        legend: '{{status}}',
      },
    ],
  },
];

const runtime = (prefix: string): PanelSpec[] => [
  {
    kind: 'timeseries',
    title: 'CPU per instance',
    description: 'CPU seconds used per second by each process (1 = one core).',
    unit: 'short',
    width: 8,
    queries: [{ expr: `rate(${prefix}process_cpu_seconds_total${S}[$__rate_interval])`, legend: '{{instance}}' }],
  },
  {
    kind: 'timeseries',
    title: 'Resident memory per instance',
    description: 'Resident set size of each process.',
    unit: 'bytes',
    width: 8,
    queries: [{ expr: `${prefix}process_resident_memory_bytes${S}`, legend: '{{instance}}' }],
  },
  {
    kind: 'timeseries',
    title: 'Event loop lag p99',
    description: "Node's event loop delay, 99th percentile: a busy or blocked loop delays every request.",
    unit: 's',
    width: 8,
    queries: [{ expr: `${prefix}nodejs_eventloop_lag_p99_seconds${S}`, legend: '{{instance}}' }],
  },
];

const sloBurnPanel = (tenant: 'memelab' | 'healthcare'): PanelSpec => ({
  kind: 'timeseries',
  title: 'SLO burn rate (1 h)',
  description:
    'Error ratio over the last hour divided by the error budget: 1 spends the budget exactly in 30 days; the page fires above 14.4.',
  unit: 'short',
  width: 24,
  queries: SLOS.filter((slo) => slo.tenant === tenant).map((slo) => ({
    expr: `${sloRecord(slo, '1h')}{${NS}} / ${Number((1 - slo.objective).toPrecision(6))}`,
    legend: slo.title,
  })),
});

export const memelabOverview: DashboardSpec = {
  uid: 'memelab-overview',
  title: 'memelab overview',
  description: 'Requests (RED by route template), the render queue, workers, render latency and SLO burn of memelab.',
  tags: ['memelab'],
  variableMetric: 'memelab_build_info',
  rows: [
    { row: 'HTTP (api)', panels: red('memelab_', 'route!~"/healthz|/readyz|/metrics"') },
    {
      row: 'Queue and workers',
      panels: [
        {
          kind: 'timeseries',
          title: 'Render queue depth',
          description: 'Jobs waiting in the render queue and in the dead-letter queue, as the API sees them.',
          unit: 'short',
          width: 8,
          queries: [{ expr: `max by (queue) (memelab_queue_depth{${NS}})`, legend: '{{queue}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Queue wait p99 (job age at pickup)',
          description: 'How old a job is when a worker starts it: publish to first attempt, 99th percentile.',
          unit: 's',
          width: 8,
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (le) (rate(memelab_job_queue_wait_seconds_bucket${S}[$__rate_interval])))`,
              legend: 'p99',
            },
          ],
        },
        {
          kind: 'stat',
          title: 'Workers consuming',
          description: 'Worker processes that take render jobs now (scraped and consuming).',
          unit: 'short',
          width: 8,
          queries: [{ expr: `sum(memelab_worker_consuming${S})`, legend: 'workers' }],
          thresholds: [
            { value: null, color: 'red' },
            { value: 1, color: 'green' },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Jobs by outcome',
          description: 'Render jobs done, retried and failed per second.',
          unit: 'ops',
          stack: true,
          queries: [
            { expr: `sum by (outcome) (rate(memelab_worker_jobs_total${S}[$__rate_interval]))`, legend: '{{outcome}}' },
          ],
        },
        {
          kind: 'heatmap',
          title: 'Render latency heatmap',
          description: 'Distribution of the time to render and store one meme, from the render histogram.',
          unit: 's',
          queries: [
            {
              expr: `sum by (le) (increase(memelab_render_duration_seconds_bucket${sel('outcome="done"')}[$__rate_interval]))`,
              legend: '{{le}}',
            },
          ],
        },
      ],
    },
    {
      row: 'Hot read path',
      panels: [
        {
          kind: 'timeseries',
          title: 'Cache hit ratio',
          description:
            'Share of image and meme lookups answered from memory instead of the object store or the database.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          queries: [
            {
              expr:
                `sum by (cache) (rate(memelab_cache_hits_total${S}[$__rate_interval]))\n/ (` +
                `sum by (cache) (rate(memelab_cache_hits_total${S}[$__rate_interval])) + ` +
                `sum by (cache) (rate(memelab_cache_misses_total${S}[$__rate_interval])))`,
              legend: '{{cache}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Cache size',
          description: 'Bytes held by each in-memory cache of the API instances.',
          unit: 'bytes',
          queries: [{ expr: `sum by (cache) (memelab_cache_bytes${S})`, legend: '{{cache}}' }],
        },
      ],
    },
    { row: 'SLO', panels: [sloBurnPanel('memelab')] },
    { row: 'Runtime', panels: runtime('memelab_') },
  ],
};

export const memelabWorker: DashboardSpec = {
  uid: 'memelab-worker',
  title: 'memelab worker and queue',
  description:
    'Render workers and the RabbitMQ queues behind them: throughput, failures, latency, retries, dead letters.',
  tags: ['memelab'],
  variableMetric: 'memelab_worker_jobs_in_flight',
  rows: [
    {
      row: 'Jobs',
      panels: [
        {
          kind: 'timeseries',
          title: 'Jobs in flight per worker',
          description: 'Render jobs each worker is working on now (bounded by WORKER_CONCURRENCY).',
          unit: 'short',
          width: 8,
          queries: [{ expr: `memelab_worker_jobs_in_flight${S}`, legend: '{{instance}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Failure ratio',
          description: 'Share of jobs retried or failed; the alert fires above 10 % for 5 minutes.',
          unit: 'percentunit',
          width: 8,
          queries: [{ expr: `namespace:memelab_worker_failures:ratio_rate5m{${NS}}`, legend: '{{namespace}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Dead-lettered by reason',
          description: 'Jobs moved to the dead-letter queue per second, by reason.',
          unit: 'ops',
          width: 8,
          queries: [
            {
              expr: `sum by (reason) (rate(memelab_worker_jobs_dead_lettered_total${S}[$__rate_interval]))`,
              legend: '{{reason}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Render duration p50 / p99 by format',
          description: 'Time to render and store one meme, by image format.',
          unit: 's',
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (format, le) (rate(memelab_render_duration_seconds_bucket${S}[$__rate_interval])))`,
              legend: 'p99 {{format}}',
            },
            {
              expr: `histogram_quantile(0.5, sum by (format, le) (rate(memelab_render_duration_seconds_bucket${S}[$__rate_interval])))`,
              legend: 'p50 {{format}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Accept to done p50 / p99',
          description: 'End-to-end time from accepting a meme to it being rendered; the SLO wants 99 % within 10 s.',
          unit: 's',
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (le) (rate(memelab_meme_end_to_end_seconds_bucket${sel('outcome="done"')}[$__rate_interval])))`,
              legend: 'p99',
            },
            {
              expr: `histogram_quantile(0.5, sum by (le) (rate(memelab_meme_end_to_end_seconds_bucket${sel('outcome="done"')}[$__rate_interval])))`,
              legend: 'p50',
            },
          ],
        },
      ],
    },
    {
      row: 'Dependencies',
      panels: [
        {
          kind: 'timeseries',
          title: 'Object store latency p99 by operation',
          description: 'put, get (to first byte), head and delete against S3 / MinIO, 99th percentile.',
          unit: 's',
          width: 8,
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (operation, le) (rate(memelab_object_store_operation_duration_seconds_bucket${S}[$__rate_interval])))`,
              legend: '{{operation}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Object store and database errors',
          description: 'Failed calls per second to the object store and the database.',
          unit: 'ops',
          width: 8,
          queries: [
            {
              expr:
                `sum by (operation) (rate(memelab_object_store_operation_duration_seconds_count${sel('outcome="error"')}[$__rate_interval]))\n` +
                `or 0 * sum by (operation) (rate(memelab_object_store_operation_duration_seconds_count${S}[$__rate_interval]))`,
              legend: 'store {{operation}}',
            },
            {
              expr:
                `sum by (operation) (rate(memelab_db_query_duration_seconds_count${sel('outcome="error"')}[$__rate_interval]))\n` +
                `or 0 * sum by (operation) (rate(memelab_db_query_duration_seconds_count${S}[$__rate_interval]))`,
              legend: 'db {{operation}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Database latency p99',
          description: 'Statements and whole transactions against PostgreSQL, 99th percentile.',
          unit: 's',
          width: 8,
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (operation, le) (rate(memelab_db_query_duration_seconds_bucket${S}[$__rate_interval])))`,
              legend: '{{operation}}',
            },
          ],
        },
      ],
    },
    {
      row: 'RabbitMQ',
      panels: [
        {
          kind: 'timeseries',
          title: 'Messages ready and unacknowledged',
          description: 'Per queue, from the rabbitmq_prometheus plugin (/metrics/detailed).',
          unit: 'short',
          queries: [
            {
              expr: 'sum by (queue) (rabbitmq_detailed_queue_messages_ready{queue=~".*render.*"})',
              legend: 'ready {{queue}}',
            },
            {
              expr: 'sum by (queue) (rabbitmq_detailed_queue_messages_unacked{queue=~".*render.*"})',
              legend: 'unacked {{queue}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Consumers per queue',
          description: 'Consumers attached to each render queue; 0 with messages ready pages.',
          unit: 'short',
          queries: [
            { expr: 'sum by (queue) (rabbitmq_detailed_queue_consumers{queue=~".*render"})', legend: '{{queue}}' },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Published and swept jobs',
          description: 'Jobs published by the API and republished by the sweeper, and publish failures.',
          unit: 'ops',
          width: 24,
          queries: [
            {
              expr: `sum by (via) (rate(memelab_jobs_published_total${S}[$__rate_interval]))`,
              legend: 'published {{via}}',
            },
            { expr: `sum(rate(memelab_swept_memes_total${S}[$__rate_interval]))`, legend: 'swept' },
            { expr: `sum(rate(memelab_job_publish_failures_total${S}[$__rate_interval]))`, legend: 'publish failures' },
          ],
        },
      ],
    },
  ],
};

export const healthcareApi: DashboardSpec = {
  uid: 'healthcare-api',
  title: 'healthcare-api',
  description: 'RED by route template, the database pool and the availability SLO of healthcare-api.',
  tags: ['healthcare'],
  variableMetric: 'healthcare_http_request_duration_seconds_count',
  rows: [
    { row: 'HTTP', panels: red('healthcare_', 'route!~"/healthz|/readyz|/metrics"') },
    {
      row: 'Database pool',
      panels: [
        {
          kind: 'timeseries',
          title: 'Pool connections by state',
          description: 'Open, idle and maximum connections of the pool, and callers waiting for one.',
          unit: 'short',
          queries: [{ expr: `sum by (state) (healthcare_db_pool_connections${S})`, legend: '{{state}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Pool rejections',
          description: 'Requests refused with 503 because no connection became free in time.',
          unit: 'ops',
          queries: [
            { expr: `sum(rate(healthcare_db_pool_rejections_total${S}[$__rate_interval]))`, legend: 'rejections' },
          ],
        },
      ],
    },
    { row: 'SLO', panels: [sloBurnPanel('healthcare')] },
    { row: 'Runtime', panels: runtime('healthcare_') },
  ],
};

export const postgresql: DashboardSpec = {
  uid: 'postgresql',
  title: 'PostgreSQL',
  description: 'PostgreSQL servers through postgres_exporter: up, connections, transactions, cache hits, locks, sizes.',
  tags: ['postgresql'],
  variableMetric: 'pg_up',
  rows: [
    {
      row: 'Server',
      panels: [
        {
          kind: 'stat',
          title: 'Up',
          description: 'Whether postgres_exporter reaches its server (1) or not (0).',
          width: 6,
          queries: [{ expr: `pg_up${S}`, legend: '{{instance}}' }],
          thresholds: [
            { value: null, color: 'red' },
            { value: 1, color: 'green' },
          ],
        },
        {
          kind: 'gauge',
          title: 'Connections used',
          description: 'Connections in use as a share of max_connections; the alert fires above 80 %.',
          unit: 'percentunit',
          width: 6,
          min: 0,
          max: 1,
          queries: [
            {
              expr: `sum by (instance) (pg_stat_activity_count${S}) / on (instance) max by (instance) (pg_settings_max_connections${S})`,
              legend: '{{instance}}',
            },
          ],
          thresholds: [
            { value: null, color: 'green' },
            { value: 0.8, color: 'red' },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Connections by state',
          description: 'Backends by state (active, idle, idle in transaction) and database.',
          unit: 'short',
          queries: [{ expr: `sum by (datname, state) (pg_stat_activity_count${S})`, legend: '{{datname}} {{state}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Transactions per second',
          description: 'Commits and rollbacks per second by database.',
          unit: 'ops',
          queries: [
            {
              expr: `sum by (datname) (rate(pg_stat_database_xact_commit${S}[$__rate_interval]))`,
              legend: 'commit {{datname}}',
            },
            {
              expr: `sum by (datname) (rate(pg_stat_database_xact_rollback${S}[$__rate_interval]))`,
              legend: 'rollback {{datname}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Cache hit ratio',
          description: 'Share of block reads served from shared buffers, by database.',
          unit: 'percentunit',
          queries: [
            {
              expr:
                `sum by (datname) (rate(pg_stat_database_blks_hit${S}[$__rate_interval]))\n/ (` +
                `sum by (datname) (rate(pg_stat_database_blks_hit${S}[$__rate_interval])) + ` +
                `sum by (datname) (rate(pg_stat_database_blks_read${S}[$__rate_interval])))`,
              legend: '{{datname}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Longest transaction',
          description: 'Age of the oldest open transaction per database; the alert fires above 5 minutes.',
          unit: 's',
          queries: [{ expr: `max by (datname) (pg_stat_activity_max_tx_duration${S})`, legend: '{{datname}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Locks by mode',
          description: 'Locks held by mode, all databases.',
          unit: 'short',
          queries: [{ expr: `sum by (mode) (pg_locks_count${S})`, legend: '{{mode}}' }],
        },
        {
          kind: 'timeseries',
          title: 'Database size',
          description: 'On-disk size of each database.',
          unit: 'bytes',
          queries: [{ expr: `pg_database_size_bytes${S}`, legend: '{{datname}}' }],
        },
      ],
    },
  ],
};

export const nodesAndPods: DashboardSpec = {
  uid: 'nodes-and-pods',
  title: 'Nodes and pods',
  description:
    'Node resources (node-exporter) and pod state (kube-state-metrics, cAdvisor). The pod panels need a Kubernetes cluster.',
  tags: ['kubernetes', 'nodes'],
  variableMetric: 'node_uname_info',
  rows: [
    {
      row: 'Nodes',
      panels: [
        {
          kind: 'timeseries',
          title: 'CPU busy per node',
          description: 'Share of CPU time not idle, per node.',
          unit: 'percentunit',
          width: 8,
          queries: [
            {
              expr: `1 - avg by (instance) (rate(node_cpu_seconds_total${sel('mode="idle"')}[$__rate_interval]))`,
              legend: '{{instance}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Memory available per node',
          description: 'Share of memory available to new work, per node.',
          unit: 'percentunit',
          width: 8,
          queries: [
            { expr: `node_memory_MemAvailable_bytes${S} / node_memory_MemTotal_bytes${S}`, legend: '{{instance}}' },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Filesystem space left',
          description: 'Share of space left per mount point (tmpfs and overlay left out).',
          unit: 'percentunit',
          width: 8,
          queries: [
            {
              expr:
                `node_filesystem_avail_bytes${sel('fstype!~"tmpfs|overlay|squashfs"')}\n/ ` +
                `node_filesystem_size_bytes${sel('fstype!~"tmpfs|overlay|squashfs"')}`,
              legend: '{{instance}} {{mountpoint}}',
            },
          ],
        },
        {
          kind: 'stat',
          title: 'Nodes not ready',
          description: 'Nodes whose Ready condition is not true (kube-state-metrics).',
          width: 6,
          queries: [
            {
              expr: 'sum(kube_node_status_condition{condition="Ready",status="true"} == 0) or vector(0)',
              legend: 'not ready',
            },
          ],
          thresholds: [
            { value: null, color: 'green' },
            { value: 1, color: 'red' },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Load per core',
          description: '1-minute load average divided by the number of cores, per node.',
          unit: 'short',
          width: 18,
          queries: [
            {
              expr: `node_load1${S} / on (instance) count by (instance) (node_cpu_seconds_total${sel('mode="idle"')})`,
              legend: '{{instance}}',
            },
          ],
        },
      ],
    },
    {
      row: 'Pods',
      panels: [
        {
          kind: 'timeseries',
          title: 'Container restarts',
          description: 'Container restarts in the window, by pod (kube-state-metrics).',
          unit: 'short',
          queries: [
            {
              expr: `sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${NS}}[$__rate_interval])) > 0`,
              legend: '{{namespace}}/{{pod}}',
            },
          ],
        },
        {
          kind: 'table',
          title: 'Containers killed for memory',
          description: 'Containers whose last termination was an OOM kill (kube-state-metrics).',
          queries: [
            {
              expr: `kube_pod_container_status_last_terminated_reason{${NS}, reason="OOMKilled"} == 1`,
              legend: '{{namespace}}/{{pod}} {{container}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Pod memory working set vs limit',
          description: 'Working set of each container (cAdvisor) as a share of its memory limit.',
          unit: 'percentunit',
          queries: [
            {
              expr:
                `sum by (namespace, pod, container) (container_memory_working_set_bytes{${NS}, container!=""})\n/ ` +
                `sum by (namespace, pod, container) (kube_pod_container_resource_limits{${NS}, resource="memory"})`,
              legend: '{{pod}} {{container}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Pod CPU throttling',
          description: 'Share of CFS periods in which each container was throttled (cAdvisor).',
          unit: 'percentunit',
          queries: [
            {
              expr:
                `sum by (namespace, pod) (rate(container_cpu_cfs_throttled_periods_total{${NS}}[$__rate_interval]))\n/ ` +
                `sum by (namespace, pod) (rate(container_cpu_cfs_periods_total{${NS}}[$__rate_interval]))`,
              legend: '{{namespace}}/{{pod}}',
            },
          ],
        },
        {
          kind: 'timeseries',
          title: 'Deployment replicas unavailable',
          description: 'Unavailable replicas per Deployment (kube-state-metrics).',
          unit: 'short',
          width: 24,
          queries: [
            {
              expr: `sum by (namespace, deployment) (kube_deployment_status_replicas_unavailable{${NS}})`,
              legend: '{{namespace}}/{{deployment}}',
            },
          ],
        },
      ],
    },
  ],
};

export const sloSummary: DashboardSpec = {
  uid: 'slo-summary',
  title: 'SLO summary',
  description:
    'Every SLO of memelab and healthcare-api: the objective, the error ratio over 3 days and the burn rates.',
  tags: ['slo', 'memelab', 'healthcare'],
  variableMetric: 'up',
  rows: SLOS.map((slo) => ({
    row: `${slo.title} (${Number((slo.objective * 100).toPrecision(6))} %)`,
    panels: [
      {
        kind: 'stat',
        title: `${slo.title}: error budget left (3 d)`,
        description: `${slo.description} Share of the error budget not spent over the last 3 days.`,
        unit: 'percentunit',
        width: 6,
        queries: [
          {
            expr: `1 - ${sloRecord(slo, '3d')}{${NS}} / ${Number((1 - slo.objective).toPrecision(6))}`,
            legend: '{{namespace}}',
          },
        ],
        thresholds: [
          { value: null, color: 'red' },
          { value: 0.25, color: 'orange' },
          { value: 0.5, color: 'green' },
        ],
      },
      {
        kind: 'timeseries',
        title: `${slo.title}: burn rate by window`,
        description:
          'Error ratio divided by the budget over 5 m, 1 h and 6 h; the page fires at 14.4 (1 h and 5 m), the ticket at 6 (6 h and 30 m).',
        unit: 'short',
        width: 18,
        queries: (['5m', '1h', '6h'] as const).map((window) => ({
          expr: `${sloRecord(slo, window)}{${NS}} / ${Number((1 - slo.objective).toPrecision(6))}`,
          legend: window,
        })),
      },
    ],
  })),
};

export const DASHBOARDS = [memelabOverview, memelabWorker, healthcareApi, postgresql, nodesAndPods, sloSummary].map(
  buildDashboard,
);
