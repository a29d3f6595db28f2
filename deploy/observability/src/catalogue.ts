/**
 * Every metric the dashboards and rules rely on: who exposes it, its type and labels, and
 * what it means. docs/observability.md's table is generated from this list (with the
 * alerts and panels that use each metric), and the live test checks each one is scraped.
 */
export type Source =
  | 'memelab api'
  | 'memelab worker'
  | 'memelab api, worker'
  | 'healthcare-api'
  | 'postgres_exporter'
  | 'rabbitmq_prometheus'
  | 'node_exporter'
  | 'kube-state-metrics'
  | 'cAdvisor'
  | 'cert-manager'
  | 'Prometheus';

export interface CatalogueEntry {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly labels: readonly string[];
  readonly source: Source;
  readonly meaning: string;
}

/** Sources that exist only in a Kubernetes cluster, and why the live test cannot scrape them here. */
export const KUBERNETES_ONLY: Readonly<Partial<Record<Source, string>>> = {
  'kube-state-metrics': 'kube-state-metrics reads the Kubernetes API; there is no cluster on the test machine',
  cAdvisor: 'cAdvisor runs in the kubelet; there is no kubelet on the test machine',
  'cert-manager': 'cert-manager runs in the cluster and reports its Certificate objects',
};

/** Metrics that need a setup the test machine lacks, though not Kubernetes. */
export const NEEDS_SETUP: Readonly<Record<string, string>> = {
  pg_replication_lag: 'reported on a streaming replica only; the machine runs one primary',
};

const m = (
  name: string,
  type: CatalogueEntry['type'],
  labels: readonly string[],
  source: Source,
  meaning: string,
): CatalogueEntry => ({ name, type, labels, source, meaning });

export const CATALOGUE: readonly CatalogueEntry[] = [
  m(
    'memelab_http_request_duration_seconds',
    'histogram',
    ['method', 'route', 'status'],
    'memelab api',
    'HTTP requests by route template (never the path): rate, errors and duration (RED).',
  ),
  m(
    'memelab_http_requests_in_flight',
    'gauge',
    [],
    'memelab api',
    'Requests being answered now, event streams included.',
  ),
  m(
    'memelab_memes_accepted_total',
    'counter',
    ['outcome'],
    'memelab api',
    'Meme requests accepted: new, existing or retried.',
  ),
  m(
    'memelab_jobs_published_total',
    'counter',
    ['via'],
    'memelab api',
    'Render jobs published, by the API or the sweeper.',
  ),
  m(
    'memelab_job_publish_failures_total',
    'counter',
    [],
    'memelab api',
    'Render jobs that could not be published (left queued for the sweeper).',
  ),
  m(
    'memelab_swept_memes_total',
    'counter',
    [],
    'memelab api',
    'Memes the sweeper found stuck in queued and republished.',
  ),
  m(
    'memelab_queue_depth',
    'gauge',
    ['queue'],
    'memelab api',
    'Jobs waiting in the render (render) and dead-letter (dead) queues; KEDA scales workers on it.',
  ),
  m('memelab_event_streams_open', 'gauge', [], 'memelab api', 'Server-sent event streams open.'),
  m(
    'memelab_cache_hits_total',
    'counter',
    ['cache'],
    'memelab api',
    'Hot read path lookups answered from memory (images, memes); hit ratio = hits / (hits + misses).',
  ),
  m(
    'memelab_cache_misses_total',
    'counter',
    ['cache'],
    'memelab api',
    'Hot read path lookups that went to the object store or the database.',
  ),
  m('memelab_cache_bytes', 'gauge', ['cache'], 'memelab api', 'Bytes held by an in-memory cache of the hot read path.'),
  m(
    'memelab_worker_jobs_total',
    'counter',
    ['outcome'],
    'memelab worker',
    'Render jobs handled: done (acknowledged), retry, failed.',
  ),
  m(
    'memelab_worker_jobs_dead_lettered_total',
    'counter',
    ['reason'],
    'memelab worker',
    'Jobs sent to the dead-letter queue: bad_input, attempts_exhausted, unknown_meme.',
  ),
  m(
    'memelab_render_duration_seconds',
    'histogram',
    ['outcome', 'format'],
    'memelab worker',
    'Time to render and store one meme, by image format.',
  ),
  m(
    'memelab_job_queue_wait_seconds',
    'histogram',
    [],
    'memelab worker',
    'Publish to first attempt: how long a job waited in the queue.',
  ),
  m(
    'memelab_meme_end_to_end_seconds',
    'histogram',
    ['outcome'],
    'memelab worker',
    'Accept to done (or failed): the render-completion SLO.',
  ),
  m('memelab_worker_jobs_in_flight', 'gauge', [], 'memelab worker', 'Jobs being rendered now.'),
  m(
    'memelab_worker_consuming',
    'gauge',
    [],
    'memelab worker',
    '1 while the worker takes jobs, 0 while it waits for its dependencies.',
  ),
  m(
    'memelab_object_store_operation_duration_seconds',
    'histogram',
    ['operation', 'outcome'],
    'memelab api, worker',
    'Object store calls (put, get, head, delete) by outcome (ok, miss, error).',
  ),
  m(
    'memelab_db_query_duration_seconds',
    'histogram',
    ['operation', 'outcome'],
    'memelab api, worker',
    'Database statements and transactions by outcome.',
  ),
  m(
    'memelab_build_info',
    'gauge',
    ['version', 'revision', 'node_version'],
    'memelab api, worker',
    'Always 1; names the running build.',
  ),
  m('memelab_process_cpu_seconds_total', 'counter', [], 'memelab api, worker', 'CPU time used by the process.'),
  m('memelab_process_resident_memory_bytes', 'gauge', [], 'memelab api, worker', 'Resident memory of the process.'),
  m(
    'memelab_nodejs_eventloop_lag_p99_seconds',
    'gauge',
    [],
    'memelab api, worker',
    "99th percentile of Node's event loop delay.",
  ),
  m(
    'healthcare_http_request_duration_seconds',
    'histogram',
    ['method', 'route', 'status'],
    'healthcare-api',
    'HTTP requests by route template: RED and the availability SLO.',
  ),
  m(
    'healthcare_db_pool_connections',
    'gauge',
    ['state'],
    'healthcare-api',
    'Pool connections: total, idle, waiting callers, max.',
  ),
  m(
    'healthcare_db_pool_rejections_total',
    'counter',
    [],
    'healthcare-api',
    'Requests refused with 503 because no connection became free in time.',
  ),
  m(
    'healthcare_booking_conflicts_total',
    'counter',
    [],
    'healthcare-api',
    'Bookings refused with 409 DOUBLE_BOOKING (the database saw an overlapping appointment).',
  ),
  m(
    'healthcare_audit_writes_total',
    'counter',
    ['action'],
    'healthcare-api',
    'Audit rows written by action (read, create, update, delete): one per successful record access.',
  ),
  m('healthcare_process_cpu_seconds_total', 'counter', [], 'healthcare-api', 'CPU time used by the process.'),
  m('healthcare_process_resident_memory_bytes', 'gauge', [], 'healthcare-api', 'Resident memory of the process.'),
  m(
    'healthcare_nodejs_eventloop_lag_p99_seconds',
    'gauge',
    [],
    'healthcare-api',
    "99th percentile of Node's event loop delay.",
  ),
  m('pg_up', 'gauge', [], 'postgres_exporter', '1 when the exporter reaches PostgreSQL.'),
  m('pg_stat_activity_count', 'gauge', ['datname', 'state'], 'postgres_exporter', 'Backends by database and state.'),
  m('pg_settings_max_connections', 'gauge', [], 'postgres_exporter', 'The max_connections setting.'),
  m(
    'pg_stat_activity_max_tx_duration',
    'gauge',
    ['datname', 'state'],
    'postgres_exporter',
    'Age of the oldest open transaction.',
  ),
  m('pg_stat_database_xact_commit', 'counter', ['datname'], 'postgres_exporter', 'Committed transactions.'),
  m('pg_stat_database_xact_rollback', 'counter', ['datname'], 'postgres_exporter', 'Rolled back transactions.'),
  m('pg_stat_database_blks_hit', 'counter', ['datname'], 'postgres_exporter', 'Blocks read from shared buffers.'),
  m('pg_stat_database_blks_read', 'counter', ['datname'], 'postgres_exporter', 'Blocks read from disk.'),
  m('pg_locks_count', 'gauge', ['datname', 'mode'], 'postgres_exporter', 'Locks held by mode.'),
  m('pg_database_size_bytes', 'gauge', ['datname'], 'postgres_exporter', 'Database size on disk.'),
  m('pg_replication_lag', 'gauge', [], 'postgres_exporter', 'Seconds a replica is behind its primary.'),
  m(
    'rabbitmq_detailed_queue_messages_ready',
    'gauge',
    ['vhost', 'queue'],
    'rabbitmq_prometheus',
    'Messages ready per queue (/metrics/detailed, family queue_coarse_metrics).',
  ),
  m(
    'rabbitmq_detailed_queue_messages_unacked',
    'gauge',
    ['vhost', 'queue'],
    'rabbitmq_prometheus',
    'Messages delivered and not yet acknowledged per queue.',
  ),
  m(
    'rabbitmq_detailed_queue_consumers',
    'gauge',
    ['vhost', 'queue'],
    'rabbitmq_prometheus',
    'Consumers per queue (family queue_consumer_count).',
  ),
  m('node_cpu_seconds_total', 'counter', ['cpu', 'mode'], 'node_exporter', 'CPU time per core and mode.'),
  m('node_memory_MemAvailable_bytes', 'gauge', [], 'node_exporter', 'Memory available for new work.'),
  m('node_memory_MemTotal_bytes', 'gauge', [], 'node_exporter', 'Total memory.'),
  m(
    'node_filesystem_avail_bytes',
    'gauge',
    ['mountpoint', 'fstype', 'device'],
    'node_exporter',
    'Space left per filesystem.',
  ),
  m('node_filesystem_size_bytes', 'gauge', ['mountpoint', 'fstype', 'device'], 'node_exporter', 'Size per filesystem.'),
  m(
    'node_filesystem_readonly',
    'gauge',
    ['mountpoint', 'fstype', 'device'],
    'node_exporter',
    '1 when mounted read-only.',
  ),
  m('node_load1', 'gauge', [], 'node_exporter', '1-minute load average.'),
  m('node_uname_info', 'gauge', ['nodename', 'release'], 'node_exporter', 'Always 1; names the node.'),
  m('up', 'gauge', ['job', 'instance'], 'Prometheus', '1 when the last scrape of a target succeeded.'),
  m(
    'kube_pod_container_status_restarts_total',
    'counter',
    ['namespace', 'pod', 'container'],
    'kube-state-metrics',
    'Container restarts.',
  ),
  m(
    'kube_pod_container_status_last_terminated_reason',
    'gauge',
    ['namespace', 'pod', 'container', 'reason'],
    'kube-state-metrics',
    'Why a container last ended (OOMKilled, Error, ...).',
  ),
  m(
    'kube_pod_container_status_waiting_reason',
    'gauge',
    ['namespace', 'pod', 'container', 'reason'],
    'kube-state-metrics',
    'Why a container waits (CrashLoopBackOff, ...).',
  ),
  m('kube_pod_info', 'gauge', ['namespace', 'pod', 'node'], 'kube-state-metrics', 'Which node a pod runs on.'),
  m(
    'kube_pod_container_resource_limits',
    'gauge',
    ['namespace', 'pod', 'container', 'resource'],
    'kube-state-metrics',
    'Container limits.',
  ),
  m(
    'kube_deployment_status_replicas_unavailable',
    'gauge',
    ['namespace', 'deployment'],
    'kube-state-metrics',
    'Unavailable replicas per Deployment.',
  ),
  m(
    'kube_statefulset_status_replicas',
    'gauge',
    ['namespace', 'statefulset'],
    'kube-state-metrics',
    'Replicas per StatefulSet.',
  ),
  m(
    'kube_statefulset_status_replicas_ready',
    'gauge',
    ['namespace', 'statefulset'],
    'kube-state-metrics',
    'Ready replicas per StatefulSet.',
  ),
  m(
    'kube_horizontalpodautoscaler_status_current_replicas',
    'gauge',
    ['namespace', 'horizontalpodautoscaler'],
    'kube-state-metrics',
    'Replicas an HPA (or KEDA) runs now.',
  ),
  m(
    'kube_horizontalpodautoscaler_spec_max_replicas',
    'gauge',
    ['namespace', 'horizontalpodautoscaler'],
    'kube-state-metrics',
    "An HPA's maximum.",
  ),
  m(
    'kube_node_status_condition',
    'gauge',
    ['node', 'condition', 'status'],
    'kube-state-metrics',
    'Node conditions (Ready, MemoryPressure, ...).',
  ),
  m(
    'container_memory_working_set_bytes',
    'gauge',
    ['namespace', 'pod', 'container'],
    'cAdvisor',
    'Working set per container (what the OOM killer compares with the limit).',
  ),
  m(
    'container_cpu_cfs_throttled_periods_total',
    'counter',
    ['namespace', 'pod', 'container'],
    'cAdvisor',
    'CFS periods in which the container was throttled.',
  ),
  m(
    'container_cpu_cfs_periods_total',
    'counter',
    ['namespace', 'pod', 'container'],
    'cAdvisor',
    'CFS periods of the container.',
  ),
  m(
    'certmanager_certificate_expiration_timestamp_seconds',
    'gauge',
    ['namespace', 'name'],
    'cert-manager',
    'When a Certificate expires.',
  ),
];

/** Metric names an expression reads: identifiers followed by a selector, range or the end. */
export const metricsIn = (expr: string): string[] => {
  const KEYWORDS = new Set([
    'sum',
    'min',
    'max',
    'avg',
    'count',
    'by',
    'without',
    'on',
    'ignoring',
    'group_left',
    'group_right',
    'and',
    'or',
    'unless',
    'offset',
    'bool',
    'topk',
    'bottomk',
    'rate',
    'increase',
    'deriv',
    'predict_linear',
    'histogram_quantile',
    'label_replace',
    'max_over_time',
    'min_over_time',
    'time',
    'vector',
    'le',
    'inf',
    'nan',
  ]);
  const names = new Set<string>();
  // Strip strings and label matchers first, so label names and values are not taken for metrics.
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]');
  for (const match of bare.matchAll(/(?<![\w:$])([a-zA-Z_:][\w:]*)\s*(?=\{|\[|\)|$|\s|\/|\*|-|\+|>|<|=|!|,)/g)) {
    const name = match[1] ?? '';
    if (KEYWORDS.has(name) || /^\d/.test(name)) continue;
    // Grouping label lists: by (a, b) and on (a) are not metrics.
    const before = bare.slice(0, match.index);
    if (/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*$/.test(before)) continue;
    names.add(name);
  }
  return [...names];
};
