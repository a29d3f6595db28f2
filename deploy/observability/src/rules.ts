import type { AlertingRule, RuleFile } from './rule-types.ts';
import { runbookUrl } from './rule-types.ts';
import { SLOS, sloAlerts, sloRecordingGroup } from './slo.ts';

/** Joins a pod-level series with the node the pod runs on, so a node outage can inhibit it. */
const onNode = (expr: string): string =>
  `(\n${expr}\n)\n* on (namespace, pod) group_left (node)\n  topk by (namespace, pod) (1, max by (namespace, pod, node) (kube_pod_info{node!=""}))`;

/** Maps a namespace to the tenant owning it: memelab*, healthcare*; anything else is the platform's. */
const withTenant = (expr: string): string =>
  `label_replace(\n  label_replace(\n${expr},\n  "tenant", "platform", "namespace", ".*"),\n  "tenant", "$1", "namespace", "(memelab|healthcare).*")`;

const alert = (
  runbook: string,
  rule: Omit<AlertingRule, 'annotations'> & {
    annotations: { readonly summary: string; readonly description: string };
  },
): AlertingRule => ({
  ...rule,
  annotations: { ...rule.annotations, runbook_url: runbookUrl(runbook, rule.alert) },
});

const memelabRecording: RuleFile['groups'][number] = {
  name: 'memelab.rules',
  rules: [
    {
      record: 'namespace_route:memelab_http_requests:rate5m',
      expr: 'sum by (namespace, route, method, status) (rate(memelab_http_request_duration_seconds_count[5m]))',
    },
    {
      record: 'namespace_route:memelab_http_request_duration_seconds:p99_5m',
      expr: 'histogram_quantile(0.99, sum by (namespace, route, le) (rate(memelab_http_request_duration_seconds_bucket[5m])))',
    },
    {
      record: 'namespace:memelab_worker_jobs:rate5m',
      expr: 'sum by (namespace, outcome) (rate(memelab_worker_jobs_total[5m]))',
    },
    {
      record: 'namespace:memelab_worker_failures:ratio_rate5m',
      expr:
        '(\n  sum by (namespace) (rate(memelab_worker_jobs_total{outcome=~"retry|failed"}[5m]))\n  or\n' +
        '  0 * sum by (namespace) (rate(memelab_worker_jobs_total[5m]))\n)\n/\n' +
        'sum by (namespace) (rate(memelab_worker_jobs_total[5m]))',
    },
    {
      record: 'namespace:memelab_render_queue_depth:max',
      expr: 'max by (namespace) (memelab_queue_depth{queue="render"})',
    },
    {
      record: 'namespace:memelab_dead_letter_queue_depth:max',
      expr: 'max by (namespace) (memelab_queue_depth{queue="dead"})',
    },
    {
      record: 'namespace:memelab_object_store_errors:ratio_rate5m',
      expr:
        '(\n  sum by (namespace) (rate(memelab_object_store_operation_duration_seconds_count{outcome="error"}[5m]))\n  or\n' +
        '  0 * sum by (namespace) (rate(memelab_object_store_operation_duration_seconds_count[5m]))\n)\n/\n' +
        'sum by (namespace) (rate(memelab_object_store_operation_duration_seconds_count[5m]))',
    },
  ],
};

const memelabAlerts: RuleFile['groups'][number] = {
  name: 'memelab.alerts',
  rules: [
    alert('memelab', {
      alert: 'MemelabRenderBacklogGrowing',
      expr:
        'max by (namespace) (memelab_queue_depth{queue="render"}) > 100\nand\n' +
        'max by (namespace) (deriv(memelab_queue_depth{queue="render"}[15m])) > 0',
      for: '15m',
      labels: { severity: 'warning', tenant: 'memelab' },
      annotations: {
        summary: 'The render queue keeps growing.',
        description:
          '{{ $value }} render jobs wait in namespace {{ $labels.namespace }} and the queue has grown for 15 minutes: workers do not keep up.',
      },
    }),
    alert('memelab', {
      alert: 'MemelabRenderQueueNoConsumers',
      expr:
        'sum by (namespace, queue) (rabbitmq_detailed_queue_consumers{queue=~".+\\\\.render"}) == 0\n' +
        'and on (namespace, queue)\n' +
        'sum by (namespace, queue) (rabbitmq_detailed_queue_messages_ready{queue=~".+\\\\.render"}) > 0',
      for: '5m',
      labels: { severity: 'critical', tenant: 'memelab' },
      annotations: {
        summary: 'Render jobs wait and no worker consumes them.',
        description: 'Queue {{ $labels.queue }} has jobs ready and {{ $value }} consumers: no meme gets rendered.',
      },
    }),
    alert('memelab', {
      alert: 'MemelabDeadLetterQueueNotEmpty',
      expr: 'namespace:memelab_dead_letter_queue_depth:max > 0',
      for: '5m',
      labels: { severity: 'warning', tenant: 'memelab' },
      annotations: {
        summary: 'Render jobs were dead-lettered.',
        description:
          '{{ $value }} jobs sit in the dead-letter queue of namespace {{ $labels.namespace }}: their memes failed for good.',
      },
    }),
    alert('memelab', {
      alert: 'MemelabWorkerFailureRatioHigh',
      expr:
        'namespace:memelab_worker_failures:ratio_rate5m > 0.1\nand\n' +
        'sum by (namespace) (rate(memelab_worker_jobs_total[5m])) > 0',
      for: '5m',
      labels: { severity: 'critical', tenant: 'memelab' },
      annotations: {
        summary: 'Render workers fail more than 10 % of their jobs.',
        description:
          '{{ $value | humanizePercentage }} of render jobs in namespace {{ $labels.namespace }} failed or were retried over 5 minutes.',
      },
    }),
    alert('memelab', {
      alert: 'MemelabObjectStoreErrors',
      expr: 'namespace:memelab_object_store_errors:ratio_rate5m > 0.05',
      for: '5m',
      labels: { severity: 'warning', tenant: 'memelab' },
      annotations: {
        summary: 'Object store calls fail.',
        description:
          '{{ $value | humanizePercentage }} of object store calls from namespace {{ $labels.namespace }} failed over 5 minutes.',
      },
    }),
    alert('memelab', {
      alert: 'MemelabJobPublishFailures',
      expr: 'sum by (namespace) (increase(memelab_job_publish_failures_total[10m])) > 0',
      for: '5m',
      labels: { severity: 'warning', tenant: 'memelab' },
      annotations: {
        summary: 'The API cannot publish render jobs.',
        description:
          '{{ $value }} render jobs in namespace {{ $labels.namespace }} could not be published in 10 minutes; the sweeper republishes them once the broker answers.',
      },
    }),
  ],
};

const healthcareAlerts: RuleFile['groups'][number] = {
  name: 'healthcare-api.alerts',
  rules: [
    alert('healthcare-api', {
      alert: 'HealthcareApiPoolSaturated',
      expr: 'max by (namespace, instance) (healthcare_db_pool_connections{state="waiting"}) > 0',
      for: '5m',
      labels: { severity: 'warning', tenant: 'healthcare' },
      annotations: {
        summary: 'healthcare-api requests wait for a database connection.',
        description: '{{ $value }} requests on {{ $labels.instance }} have waited for a pool connection for 5 minutes.',
      },
    }),
  ],
};

const postgresqlAlerts: RuleFile['groups'][number] = {
  name: 'postgresql.alerts',
  rules: [
    alert('postgresql', {
      alert: 'PostgresqlDown',
      expr: withTenant('  pg_up == 0'),
      for: '1m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'PostgreSQL does not answer its exporter.',
        description: 'postgres_exporter {{ $labels.instance }} cannot reach its PostgreSQL server.',
      },
    }),
    alert('postgresql', {
      alert: 'PostgresqlConnectionsNearMax',
      expr: withTenant(
        '  sum by (namespace, instance) (pg_stat_activity_count)\n  / on (namespace, instance)\n' +
          '  max by (namespace, instance) (pg_settings_max_connections) > 0.8',
      ),
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'PostgreSQL connections are near max_connections.',
        description: '{{ $value | humanizePercentage }} of max_connections are in use on {{ $labels.instance }}.',
      },
    }),
    alert('postgresql', {
      alert: 'PostgresqlReplicationLagging',
      expr: withTenant('  max by (namespace, instance) (pg_replication_lag) > 30'),
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'A PostgreSQL replica lags behind its primary.',
        description: 'The replica {{ $labels.instance }} is {{ $value | humanizeDuration }} behind its primary.',
      },
    }),
    alert('postgresql', {
      alert: 'PostgresqlLongTransaction',
      expr: withTenant(
        '  max by (namespace, instance, datname) (pg_stat_activity_max_tx_duration{datname!~"template.*"}) > 300',
      ),
      for: '2m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'A PostgreSQL transaction has been open for more than 5 minutes.',
        description:
          'The oldest transaction on database {{ $labels.datname }} ({{ $labels.instance }}) has run for {{ $value | humanizeDuration }}.',
      },
    }),
  ],
};

const kubernetesAlerts: RuleFile['groups'][number] = {
  name: 'kubernetes.alerts',
  rules: [
    alert('kubernetes', {
      alert: 'KubeContainerOOMKilled',
      expr: withTenant(
        onNode(
          '  (kube_pod_container_status_restarts_total - kube_pod_container_status_restarts_total offset 10m >= 1)\n' +
            '  and ignoring (reason)\n' +
            '  min_over_time(kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}[10m]) == 1',
        ),
      ),
      labels: { severity: 'warning' },
      annotations: {
        summary: 'A container was killed for running out of memory.',
        description:
          'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} on node {{ $labels.node }} was OOMKilled in the last 10 minutes.',
      },
    }),
    alert('kubernetes', {
      alert: 'KubePodCrashLooping',
      expr: withTenant(
        onNode('  max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1'),
      ),
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'A pod is crash looping.',
        description:
          'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been in CrashLoopBackOff for 15 minutes.',
      },
    }),
    alert('kubernetes', {
      alert: 'KubePodRestartStorm',
      expr: withTenant(onNode('  increase(kube_pod_container_status_restarts_total[15m]) > 3')),
      labels: { severity: 'warning' },
      annotations: {
        summary: 'A container restarts again and again.',
        description:
          'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} restarted {{ $value }} times in 15 minutes.',
      },
    }),
    alert('kubernetes', {
      alert: 'KubeDeploymentReplicasUnavailable',
      expr: withTenant('  kube_deployment_status_replicas_unavailable > 0'),
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'A Deployment has unavailable replicas.',
        description:
          'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had {{ $value }} unavailable replicas for 15 minutes.',
      },
    }),
    alert('kubernetes', {
      alert: 'KubeStatefulSetPodNotReady',
      expr: withTenant('  kube_statefulset_status_replicas - kube_statefulset_status_replicas_ready > 0'),
      for: '15m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'A StatefulSet pod is not ready.',
        description:
          'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has had {{ $value }} pods not ready for 15 minutes.',
      },
    }),
    alert('kubernetes', {
      alert: 'KubeAutoscalerAtMax',
      expr: withTenant(
        '  kube_horizontalpodautoscaler_status_current_replicas\n  >= on (namespace, horizontalpodautoscaler)\n' +
          '  kube_horizontalpodautoscaler_spec_max_replicas',
      ),
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'An autoscaler (HPA or KEDA) has been at its maximum for 15 minutes.',
        description:
          'HorizontalPodAutoscaler {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} runs {{ $value }} replicas, its maximum: demand may exceed capacity.',
      },
    }),
  ],
};

const nodeAlerts: RuleFile['groups'][number] = {
  name: 'node.alerts',
  rules: [
    alert('node', {
      alert: 'KubeNodeNotReady',
      expr: 'kube_node_status_condition{condition="Ready",status="true"} == 0',
      for: '5m',
      labels: { severity: 'critical', tenant: 'platform' },
      annotations: {
        summary: 'A node is not ready.',
        description:
          'Node {{ $labels.node }} has not been Ready for 5 minutes; alerts of the pods on it are silenced meanwhile.',
      },
    }),
    alert('node', {
      alert: 'NodeFilesystemFillingUp',
      expr:
        '(\n  node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs",mountpoint!=""}\n  / node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs",mountpoint!=""} < 0.15\n)\nand\n' +
        'predict_linear(node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs",mountpoint!=""}[6h], 24 * 3600) < 0\nand\n' +
        'node_filesystem_readonly{fstype!~"tmpfs|overlay|squashfs",mountpoint!=""} == 0',
      for: '1h',
      labels: { severity: 'warning', tenant: 'platform' },
      annotations: {
        summary: 'A filesystem will be full within 24 hours.',
        description:
          '{{ $labels.mountpoint }} on {{ $labels.instance }} has {{ $value | humanizePercentage }} left and fills up within a day at this rate.',
      },
    }),
    alert('node', {
      alert: 'NodeFilesystemAlmostFull',
      expr: 'node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs",mountpoint!=""}\n/ node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs",mountpoint!=""} < 0.05',
      for: '15m',
      labels: { severity: 'critical', tenant: 'platform' },
      annotations: {
        summary: 'A filesystem is almost full.',
        description:
          '{{ $labels.mountpoint }} on {{ $labels.instance }} has only {{ $value | humanizePercentage }} left.',
      },
    }),
    alert('node', {
      alert: 'CertificateExpiringSoon',
      expr: 'certmanager_certificate_expiration_timestamp_seconds - time() < 14 * 24 * 3600',
      for: '1h',
      labels: { severity: 'warning', tenant: 'platform' },
      annotations: {
        summary: 'A TLS certificate expires within 14 days.',
        description:
          'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in {{ $value | humanizeDuration }} and has not been renewed.',
      },
    }),
  ],
};

const prometheusAlerts: RuleFile['groups'][number] = {
  name: 'prometheus.alerts',
  rules: [
    alert('prometheus', {
      alert: 'TargetDown',
      expr: '100 * (count by (job, namespace) (up == 0) / count by (job, namespace) (up)) > 10',
      for: '10m',
      labels: { severity: 'warning', tenant: 'platform' },
      annotations: {
        summary: 'Prometheus cannot scrape some targets.',
        description: '{{ printf "%.4g" $value }} % of the {{ $labels.job }} targets are down.',
      },
    }),
  ],
};

/** Every PrometheusRule, one per component. */
export const RULE_FILES: readonly RuleFile[] = [
  {
    name: 'memelab-slo',
    component: 'memelab',
    groups: [
      ...SLOS.filter((slo) => slo.tenant === 'memelab').map(sloRecordingGroup),
      { name: 'memelab-slo.alerts', rules: SLOS.filter((slo) => slo.tenant === 'memelab').flatMap(sloAlerts) },
    ],
  },
  { name: 'memelab', component: 'memelab', groups: [memelabRecording, memelabAlerts] },
  {
    name: 'healthcare-api',
    component: 'healthcare-api',
    groups: [
      ...SLOS.filter((slo) => slo.tenant === 'healthcare').map(sloRecordingGroup),
      {
        name: 'healthcare-api-slo.alerts',
        rules: SLOS.filter((slo) => slo.tenant === 'healthcare').flatMap(sloAlerts),
      },
      healthcareAlerts,
    ],
  },
  { name: 'postgresql', component: 'postgresql', groups: [postgresqlAlerts] },
  { name: 'kubernetes', component: 'kubernetes', groups: [kubernetesAlerts] },
  { name: 'node', component: 'node', groups: [nodeAlerts] },
  { name: 'prometheus', component: 'prometheus', groups: [prometheusAlerts] },
];
