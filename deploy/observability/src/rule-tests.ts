import { type AlertingRule, isAlert } from './rule-types.ts';
import { RULE_FILES } from './rules.ts';
import { BURN_RATE_ALERTS, SLOS, type Slo } from './slo.ts';

/**
 * promtool unit tests for every alert: a series that must fire it, with the exact labels and
 * annotations the notification will carry, and a healthy series that must leave it silent.
 * Expected annotations are the rule's templates filled with the labels and values written
 * here by hand, so a changed threshold, label or wording fails the test.
 */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** How `$value` reads through each template function, for the one value a case expects. */
export interface ExpectedValue {
  readonly raw: string;
  readonly humanizePercentage?: string;
  readonly humanizeDuration?: string;
  readonly printf?: string;
}

export interface AlertCase {
  readonly alert: string;
  readonly name: string;
  readonly series: readonly InputSeries[];
  readonly evalTime: string;
  /** Empty: the alert must stay silent. */
  readonly fires: readonly { readonly labels: Readonly<Record<string, string>>; readonly value: ExpectedValue }[];
  /** Only the rules with this severity are expected (others with the same name are ignored). */
  readonly severity?: string;
}

const flat = (series: string, value: number | string, samples = 120): InputSeries => ({
  series,
  values: `${value}x${samples}`,
});
const counter = (series: string, perMinute: number, samples = 480): InputSeries => ({
  series,
  values: `0+${perMinute}x${samples}`,
});

const podInfo = (namespace: string, pod: string, node: string): InputSeries =>
  flat(`kube_pod_info{namespace="${namespace}",pod="${pod}",node="${node}"}`, 1);

export const CAUSE_CASES: readonly AlertCase[] = [
  {
    alert: 'MemelabRenderBacklogGrowing',
    name: 'a render queue growing past 100 for 15 minutes fires',
    series: [{ series: 'memelab_queue_depth{namespace="memelab",instance="api-1",queue="render"}', values: '0+10x60' }],
    evalTime: '40m',
    fires: [{ labels: { namespace: 'memelab', severity: 'warning', tenant: 'memelab' }, value: { raw: '400' } }],
  },
  {
    alert: 'MemelabRenderBacklogGrowing',
    name: 'a long but steady render queue stays silent',
    series: [flat('memelab_queue_depth{namespace="memelab",instance="api-1",queue="render"}', 500)],
    evalTime: '40m',
    fires: [],
  },
  {
    alert: 'MemelabRenderQueueNoConsumers',
    name: 'ready jobs and no consumer fire',
    series: [
      flat('rabbitmq_detailed_queue_consumers{vhost="/",queue="memelab.render"}', 0),
      flat('rabbitmq_detailed_queue_messages_ready{vhost="/",queue="memelab.render"}', 5),
      flat('rabbitmq_detailed_queue_consumers{vhost="/",queue="memelab.render.dead"}', 0),
      flat('rabbitmq_detailed_queue_messages_ready{vhost="/",queue="memelab.render.dead"}', 5),
    ],
    evalTime: '10m',
    fires: [{ labels: { queue: 'memelab.render', severity: 'critical', tenant: 'memelab' }, value: { raw: '0' } }],
  },
  {
    alert: 'MemelabRenderQueueNoConsumers',
    name: 'ready jobs with consumers stay silent',
    series: [
      flat('rabbitmq_detailed_queue_consumers{vhost="/",queue="memelab.render"}', 2),
      flat('rabbitmq_detailed_queue_messages_ready{vhost="/",queue="memelab.render"}', 5),
    ],
    evalTime: '10m',
    fires: [],
  },
  {
    alert: 'MemelabDeadLetterQueueNotEmpty',
    name: 'dead-lettered jobs fire',
    series: [
      flat('memelab_queue_depth{namespace="memelab",instance="api-1",queue="dead"}', 3),
      flat('memelab_queue_depth{namespace="memelab",instance="api-2",queue="dead"}', 3),
    ],
    evalTime: '10m',
    fires: [{ labels: { namespace: 'memelab', severity: 'warning', tenant: 'memelab' }, value: { raw: '3' } }],
  },
  {
    alert: 'MemelabDeadLetterQueueNotEmpty',
    name: 'an empty dead-letter queue stays silent',
    series: [flat('memelab_queue_depth{namespace="memelab",instance="api-1",queue="dead"}', 0)],
    evalTime: '10m',
    fires: [],
  },
  {
    alert: 'MemelabWorkerFailureRatioHigh',
    name: '20 % of jobs retried fires',
    series: [
      counter('memelab_worker_jobs_total{namespace="memelab",instance="w-1",outcome="done"}', 80),
      counter('memelab_worker_jobs_total{namespace="memelab",instance="w-1",outcome="retry"}', 20),
    ],
    evalTime: '15m',
    fires: [
      {
        labels: { namespace: 'memelab', severity: 'critical', tenant: 'memelab' },
        value: { raw: '0.2', humanizePercentage: '20%' },
      },
    ],
  },
  {
    alert: 'MemelabWorkerFailureRatioHigh',
    name: '1 % of jobs failed stays silent',
    series: [
      counter('memelab_worker_jobs_total{namespace="memelab",instance="w-1",outcome="done"}', 99),
      counter('memelab_worker_jobs_total{namespace="memelab",instance="w-1",outcome="failed"}', 1),
    ],
    evalTime: '15m',
    fires: [],
  },
  {
    alert: 'MemelabObjectStoreErrors',
    name: '10 % of object store calls failing fires',
    series: [
      counter(
        'memelab_object_store_operation_duration_seconds_count{namespace="memelab",operation="put",outcome="error"}',
        10,
      ),
      counter(
        'memelab_object_store_operation_duration_seconds_count{namespace="memelab",operation="put",outcome="ok"}',
        90,
      ),
    ],
    evalTime: '15m',
    fires: [
      {
        labels: { namespace: 'memelab', severity: 'warning', tenant: 'memelab' },
        value: { raw: '0.1', humanizePercentage: '10%' },
      },
    ],
  },
  {
    alert: 'MemelabObjectStoreErrors',
    name: '1 % of object store calls failing stays silent',
    series: [
      counter(
        'memelab_object_store_operation_duration_seconds_count{namespace="memelab",operation="put",outcome="error"}',
        1,
      ),
      counter(
        'memelab_object_store_operation_duration_seconds_count{namespace="memelab",operation="put",outcome="ok"}',
        99,
      ),
    ],
    evalTime: '15m',
    fires: [],
  },
  {
    alert: 'MemelabJobPublishFailures',
    name: 'publish failures every minute fire',
    series: [counter('memelab_job_publish_failures_total{namespace="memelab",instance="api-1"}', 1, 60)],
    evalTime: '20m',
    fires: [{ labels: { namespace: 'memelab', severity: 'warning', tenant: 'memelab' }, value: { raw: '10' } }],
  },
  {
    alert: 'MemelabJobPublishFailures',
    name: 'old publish failures stay silent',
    series: [flat('memelab_job_publish_failures_total{namespace="memelab",instance="api-1"}', 5)],
    evalTime: '20m',
    fires: [],
  },
  {
    alert: 'HealthcareApiPoolSaturated',
    name: 'requests waiting for a connection fire',
    series: [flat('healthcare_db_pool_connections{namespace="healthcare",instance="hc-1",state="waiting"}', 3)],
    evalTime: '10m',
    fires: [
      {
        labels: { namespace: 'healthcare', instance: 'hc-1', severity: 'warning', tenant: 'healthcare' },
        value: { raw: '3' },
      },
    ],
  },
  {
    alert: 'HealthcareApiPoolSaturated',
    name: 'no waiting requests stay silent',
    series: [flat('healthcare_db_pool_connections{namespace="healthcare",instance="hc-1",state="waiting"}', 0)],
    evalTime: '10m',
    fires: [],
  },
  {
    alert: 'PostgresqlDown',
    name: 'pg_up 0 fires, for the namespace tenant',
    series: [flat('pg_up{namespace="memelab",instance="pg-exporter:9187",job="postgres-exporter"}', 0)],
    evalTime: '5m',
    fires: [
      {
        labels: {
          namespace: 'memelab',
          instance: 'pg-exporter:9187',
          job: 'postgres-exporter',
          severity: 'critical',
          tenant: 'memelab',
        },
        value: { raw: '0' },
      },
    ],
  },
  {
    alert: 'PostgresqlDown',
    name: 'pg_up 1 stays silent',
    series: [flat('pg_up{namespace="memelab",instance="pg-exporter:9187",job="postgres-exporter"}', 1)],
    evalTime: '5m',
    fires: [],
  },
  {
    alert: 'PostgresqlConnectionsNearMax',
    name: '90 of 100 connections fire',
    series: [
      flat('pg_stat_activity_count{namespace="memelab",instance="pg",datname="memelab",state="active"}', 60),
      flat('pg_stat_activity_count{namespace="memelab",instance="pg",datname="memelab",state="idle"}', 30),
      flat('pg_settings_max_connections{namespace="memelab",instance="pg"}', 100),
    ],
    evalTime: '10m',
    fires: [
      {
        labels: { namespace: 'memelab', instance: 'pg', severity: 'warning', tenant: 'memelab' },
        value: { raw: '0.9', humanizePercentage: '90%' },
      },
    ],
  },
  {
    alert: 'PostgresqlConnectionsNearMax',
    name: '10 of 100 connections stay silent',
    series: [
      flat('pg_stat_activity_count{namespace="memelab",instance="pg",datname="memelab",state="active"}', 10),
      flat('pg_settings_max_connections{namespace="memelab",instance="pg"}', 100),
    ],
    evalTime: '10m',
    fires: [],
  },
  {
    alert: 'PostgresqlReplicationLagging',
    name: 'a replica 2 minutes behind fires',
    series: [flat('pg_replication_lag{namespace="healthcare",instance="pg-1"}', 120)],
    evalTime: '10m',
    fires: [
      {
        labels: { namespace: 'healthcare', instance: 'pg-1', severity: 'warning', tenant: 'healthcare' },
        value: { raw: '120', humanizeDuration: '2m 0s' },
      },
    ],
  },
  {
    alert: 'PostgresqlReplicationLagging',
    name: 'a replica 1 second behind stays silent',
    series: [flat('pg_replication_lag{namespace="healthcare",instance="pg-1"}', 1)],
    evalTime: '10m',
    fires: [],
  },
  {
    alert: 'PostgresqlLongTransaction',
    name: 'a 10 minute transaction fires',
    series: [
      flat('pg_stat_activity_max_tx_duration{instance="pg",datname="memelab",state="idle in transaction"}', 600),
    ],
    evalTime: '5m',
    fires: [
      {
        labels: { instance: 'pg', datname: 'memelab', severity: 'warning', tenant: 'platform' },
        value: { raw: '600', humanizeDuration: '10m 0s' },
      },
    ],
  },
  {
    alert: 'PostgresqlLongTransaction',
    name: 'short transactions stay silent',
    series: [flat('pg_stat_activity_max_tx_duration{instance="pg",datname="memelab",state="active"}', 5)],
    evalTime: '5m',
    fires: [],
  },
  {
    alert: 'KubeContainerOOMKilled',
    name: 'a restart after an OOM kill fires, with the node',
    series: [
      {
        series: 'kube_pod_container_status_restarts_total{namespace="memelab",pod="worker-1",container="worker"}',
        values: '0x10 1x20',
      },
      flat(
        'kube_pod_container_status_last_terminated_reason{namespace="memelab",pod="worker-1",container="worker",reason="OOMKilled"}',
        1,
      ),
      podInfo('memelab', 'worker-1', 'node-1'),
    ],
    evalTime: '15m',
    fires: [
      {
        labels: {
          namespace: 'memelab',
          pod: 'worker-1',
          container: 'worker',
          node: 'node-1',
          severity: 'warning',
          tenant: 'memelab',
        },
        value: { raw: '1' },
      },
    ],
  },
  {
    alert: 'KubeContainerOOMKilled',
    name: 'an old OOM kill without a new restart stays silent',
    series: [
      flat('kube_pod_container_status_restarts_total{namespace="memelab",pod="worker-1",container="worker"}', 1),
      flat(
        'kube_pod_container_status_last_terminated_reason{namespace="memelab",pod="worker-1",container="worker",reason="OOMKilled"}',
        1,
      ),
      podInfo('memelab', 'worker-1', 'node-1'),
    ],
    evalTime: '15m',
    fires: [],
  },
  {
    alert: 'KubePodCrashLooping',
    name: 'CrashLoopBackOff for 15 minutes fires',
    series: [
      flat(
        'kube_pod_container_status_waiting_reason{namespace="healthcare",pod="api-1",container="api",reason="CrashLoopBackOff"}',
        1,
      ),
      podInfo('healthcare', 'api-1', 'node-2'),
    ],
    evalTime: '20m',
    fires: [
      {
        labels: {
          namespace: 'healthcare',
          pod: 'api-1',
          container: 'api',
          reason: 'CrashLoopBackOff',
          node: 'node-2',
          severity: 'warning',
          tenant: 'healthcare',
        },
        value: { raw: '1' },
      },
    ],
  },
  {
    alert: 'KubePodCrashLooping',
    name: 'a container waiting for its image stays silent',
    series: [
      flat(
        'kube_pod_container_status_waiting_reason{namespace="healthcare",pod="api-1",container="api",reason="ContainerCreating"}',
        1,
      ),
      podInfo('healthcare', 'api-1', 'node-2'),
    ],
    evalTime: '20m',
    fires: [],
  },
  {
    alert: 'KubePodRestartStorm',
    name: 'a restart a minute fires',
    series: [
      counter('kube_pod_container_status_restarts_total{namespace="kube-system",pod="dns-1",container="dns"}', 1, 30),
      podInfo('kube-system', 'dns-1', 'node-1'),
    ],
    evalTime: '20m',
    fires: [
      {
        labels: {
          namespace: 'kube-system',
          pod: 'dns-1',
          container: 'dns',
          node: 'node-1',
          severity: 'warning',
          tenant: 'platform',
        },
        value: { raw: '15' },
      },
    ],
  },
  {
    alert: 'KubePodRestartStorm',
    name: 'one restart in 15 minutes stays silent',
    series: [
      {
        series: 'kube_pod_container_status_restarts_total{namespace="kube-system",pod="dns-1",container="dns"}',
        values: '0x10 1x20',
      },
      podInfo('kube-system', 'dns-1', 'node-1'),
    ],
    evalTime: '20m',
    fires: [],
  },
  {
    alert: 'KubeDeploymentReplicasUnavailable',
    name: 'an unavailable replica for 15 minutes fires',
    series: [flat('kube_deployment_status_replicas_unavailable{namespace="memelab",deployment="memelab-api"}', 1)],
    evalTime: '20m',
    fires: [
      {
        labels: { namespace: 'memelab', deployment: 'memelab-api', severity: 'warning', tenant: 'memelab' },
        value: { raw: '1' },
      },
    ],
  },
  {
    alert: 'KubeDeploymentReplicasUnavailable',
    name: 'every replica available stays silent',
    series: [flat('kube_deployment_status_replicas_unavailable{namespace="memelab",deployment="memelab-api"}', 0)],
    evalTime: '20m',
    fires: [],
  },
  {
    alert: 'KubeStatefulSetPodNotReady',
    name: 'one of three pods not ready fires',
    series: [
      flat('kube_statefulset_status_replicas{namespace="healthcare",statefulset="postgresql"}', 3),
      flat('kube_statefulset_status_replicas_ready{namespace="healthcare",statefulset="postgresql"}', 2),
    ],
    evalTime: '20m',
    fires: [
      {
        labels: { namespace: 'healthcare', statefulset: 'postgresql', severity: 'critical', tenant: 'healthcare' },
        value: { raw: '1' },
      },
    ],
  },
  {
    alert: 'KubeStatefulSetPodNotReady',
    name: 'every pod ready stays silent',
    series: [
      flat('kube_statefulset_status_replicas{namespace="healthcare",statefulset="postgresql"}', 3),
      flat('kube_statefulset_status_replicas_ready{namespace="healthcare",statefulset="postgresql"}', 3),
    ],
    evalTime: '20m',
    fires: [],
  },
  {
    alert: 'KubeAutoscalerAtMax',
    name: 'an autoscaler at its maximum for 15 minutes fires',
    series: [
      flat(
        'kube_horizontalpodautoscaler_status_current_replicas{namespace="memelab",horizontalpodautoscaler="keda-hpa-memelab-worker"}',
        10,
      ),
      flat(
        'kube_horizontalpodautoscaler_spec_max_replicas{namespace="memelab",horizontalpodautoscaler="keda-hpa-memelab-worker"}',
        10,
      ),
    ],
    evalTime: '20m',
    fires: [
      {
        labels: {
          namespace: 'memelab',
          horizontalpodautoscaler: 'keda-hpa-memelab-worker',
          severity: 'warning',
          tenant: 'memelab',
        },
        value: { raw: '10' },
      },
    ],
  },
  {
    alert: 'KubeAutoscalerAtMax',
    name: 'an autoscaler below its maximum stays silent',
    series: [
      flat(
        'kube_horizontalpodautoscaler_status_current_replicas{namespace="memelab",horizontalpodautoscaler="memelab-api"}',
        4,
      ),
      flat(
        'kube_horizontalpodautoscaler_spec_max_replicas{namespace="memelab",horizontalpodautoscaler="memelab-api"}',
        10,
      ),
    ],
    evalTime: '20m',
    fires: [],
  },
  {
    alert: 'KubeNodeNotReady',
    name: 'a node not ready for 5 minutes fires',
    series: [flat('kube_node_status_condition{node="node-1",condition="Ready",status="true"}', 0)],
    evalTime: '10m',
    fires: [
      {
        labels: { node: 'node-1', condition: 'Ready', status: 'true', severity: 'critical', tenant: 'platform' },
        value: { raw: '0' },
      },
    ],
  },
  {
    alert: 'KubeNodeNotReady',
    name: 'a ready node stays silent',
    series: [flat('kube_node_status_condition{node="node-1",condition="Ready",status="true"}', 1)],
    evalTime: '10m',
    fires: [],
  },
  {
    alert: 'NodeFilesystemFillingUp',
    name: 'a filesystem under 15 % and shrinking fires',
    series: [
      {
        series: 'node_filesystem_avail_bytes{instance="node-1",mountpoint="/var",fstype="ext4"}',
        values: '14e9-0.05e9x120',
      },
      flat('node_filesystem_size_bytes{instance="node-1",mountpoint="/var",fstype="ext4"}', '100e9'),
      flat('node_filesystem_readonly{instance="node-1",mountpoint="/var",fstype="ext4"}', 0),
    ],
    evalTime: '70m',
    fires: [
      {
        labels: { instance: 'node-1', mountpoint: '/var', fstype: 'ext4', severity: 'warning', tenant: 'platform' },
        value: { raw: '0.105', humanizePercentage: '10.5%' },
      },
    ],
  },
  {
    alert: 'NodeFilesystemFillingUp',
    name: 'a steady filesystem at 10 % stays silent',
    series: [
      flat('node_filesystem_avail_bytes{instance="node-1",mountpoint="/var",fstype="ext4"}', '10e9'),
      flat('node_filesystem_size_bytes{instance="node-1",mountpoint="/var",fstype="ext4"}', '100e9'),
      flat('node_filesystem_readonly{instance="node-1",mountpoint="/var",fstype="ext4"}', 0),
    ],
    evalTime: '70m',
    fires: [],
  },
  {
    alert: 'NodeFilesystemAlmostFull',
    name: 'a filesystem with 3 % left fires',
    series: [
      flat('node_filesystem_avail_bytes{instance="node-1",mountpoint="/",fstype="ext4"}', '3e9'),
      flat('node_filesystem_size_bytes{instance="node-1",mountpoint="/",fstype="ext4"}', '100e9'),
    ],
    evalTime: '20m',
    fires: [
      {
        labels: { instance: 'node-1', mountpoint: '/', fstype: 'ext4', severity: 'critical', tenant: 'platform' },
        value: { raw: '0.03', humanizePercentage: '3%' },
      },
    ],
  },
  {
    alert: 'NodeFilesystemAlmostFull',
    name: 'a tmpfs with 3 % left stays silent',
    series: [
      flat('node_filesystem_avail_bytes{instance="node-1",mountpoint="/run",fstype="tmpfs"}', '3e9'),
      flat('node_filesystem_size_bytes{instance="node-1",mountpoint="/run",fstype="tmpfs"}', '100e9'),
    ],
    evalTime: '20m',
    fires: [],
  },
  {
    alert: 'CertificateExpiringSoon',
    name: 'a certificate expiring in a week fires',
    series: [
      flat('certmanager_certificate_expiration_timestamp_seconds{namespace="memelab",name="memelab-tls"}', 604800),
    ],
    evalTime: '65m',
    fires: [
      {
        labels: { namespace: 'memelab', name: 'memelab-tls', severity: 'warning', tenant: 'platform' },
        value: { raw: '600900', printf: '6.009e+05', humanizeDuration: '6d 22h 55m 0s' },
      },
    ],
  },
  {
    alert: 'CertificateExpiringSoon',
    name: 'a certificate expiring in 90 days stays silent',
    series: [
      flat('certmanager_certificate_expiration_timestamp_seconds{namespace="memelab",name="memelab-tls"}', 7776000),
    ],
    evalTime: '65m',
    fires: [],
  },
  {
    alert: 'TargetDown',
    name: 'half the worker targets down for 10 minutes fires',
    series: [flat('up{job="memelab-worker",instance="w-1"}', 0), flat('up{job="memelab-worker",instance="w-2"}', 1)],
    evalTime: '15m',
    fires: [
      {
        labels: { job: 'memelab-worker', severity: 'warning', tenant: 'platform' },
        value: { raw: '50' },
      },
    ],
  },
  {
    alert: 'TargetDown',
    name: 'every target up stays silent',
    series: [flat('up{job="memelab-worker",instance="w-1"}', 1), flat('up{job="memelab-worker",instance="w-2"}', 1)],
    evalTime: '15m',
    fires: [],
  },
];

/** The series for an SLO's good and bad events, `good` and `bad` per minute. */
const sloNamespace = (slo: Slo): string => (slo.tenant === 'healthcare' ? 'healthcare' : 'memelab');

const sloSeries = (slo: Slo, good: number, bad: number): InputSeries[] => {
  const ns = `namespace="${sloNamespace(slo)}"`;
  switch (slo.stem) {
    case 'memelab_meme_accept_errors':
      return [
        counter(
          `memelab_http_request_duration_seconds_count{${ns},route="/api/memes",method="POST",status="202"}`,
          good,
        ),
        counter(
          `memelab_http_request_duration_seconds_count{${ns},route="/api/memes",method="POST",status="503"}`,
          bad,
        ),
      ];
    case 'memelab_meme_accept_slow':
      return [
        counter(
          `memelab_http_request_duration_seconds_bucket{${ns},route="/api/memes",method="POST",status="202",le="0.1"}`,
          good,
        ),
        counter(
          `memelab_http_request_duration_seconds_count{${ns},route="/api/memes",method="POST",status="202"}`,
          good + bad,
        ),
      ];
    case 'memelab_render_late':
      return [
        counter(`memelab_meme_end_to_end_seconds_bucket{${ns},outcome="done",le="10"}`, good),
        counter(`memelab_meme_end_to_end_seconds_count{${ns},outcome="done"}`, good + bad),
      ];
    case 'memelab_image_get_errors':
      return [
        counter(
          `memelab_http_request_duration_seconds_count{${ns},route="/m/:file",method="GET",status="200"}`,
          good / 2,
        ),
        counter(
          `memelab_http_request_duration_seconds_count{${ns},route="/images/*",method="GET",status="200"}`,
          good / 2,
        ),
        counter(`memelab_http_request_duration_seconds_count{${ns},route="/images/*",method="GET",status="500"}`, bad),
        // Other routes' errors are not this SLO's.
        counter(
          `memelab_http_request_duration_seconds_count{${ns},route="/api/templates",method="GET",status="500"}`,
          good,
        ),
      ];
    case 'healthcare_api_request_errors':
      return [
        counter(
          `healthcare_http_request_duration_seconds_count{${ns},route="/patients",method="GET",status="200"}`,
          good,
        ),
        counter(
          `healthcare_http_request_duration_seconds_count{${ns},route="/patients",method="POST",status="500"}`,
          bad,
        ),
        counter(
          `healthcare_http_request_duration_seconds_count{${ns},route="/readyz",method="GET",status="503"}`,
          good,
        ),
      ];
    default:
      throw new Error(`no test series for SLO ${slo.stem}`);
  }
};

/**
 * Burn-rate cases per SLO, at 10 000 events a minute: just above the fast-burn rate (both
 * alerts fire), just below it (only the slow-burn alert), just below the slow-burn rate
 * (silent).
 */
export const sloCases = (slo: Slo): AlertCase[] => {
  const budget = 1 - slo.objective;
  const [fast, slow] = BURN_RATE_ALERTS;
  const total = 10_000;
  const badAt = (factor: number) => Math.round(total * budget * factor);
  const firing = (burn: (typeof BURN_RATE_ALERTS)[number], bad: number) => {
    const ratio = bad / total;
    return {
      labels: {
        namespace: sloNamespace(slo),
        slo: slo.stem,
        tenant: slo.tenant,
        severity: burn.severity,
        long: burn.long,
        short: burn.short,
      },
      value: { raw: String(ratio), humanizePercentage: `${Number((ratio * 100).toPrecision(4))}%` },
    };
  };
  const over = badAt(fast.factor * 1.1);
  const underFast = badAt(fast.factor * 0.9);
  const underSlow = badAt(slow.factor * 0.9);
  return [
    {
      alert: slo.alert,
      name: `${slo.stem}: burning at 1.1 x ${fast.factor} fires both alerts`,
      series: sloSeries(slo, total - over, over),
      evalTime: '30m',
      fires: [firing(fast, over), firing(slow, over)],
    },
    {
      alert: slo.alert,
      name: `${slo.stem}: burning at 0.9 x ${fast.factor} fires only the slow-burn alert`,
      series: sloSeries(slo, total - underFast, underFast),
      evalTime: '30m',
      fires: [firing(slow, underFast)],
    },
    {
      alert: slo.alert,
      name: `${slo.stem}: burning at 0.9 x ${slow.factor} stays silent`,
      series: sloSeries(slo, total - underSlow, underSlow),
      evalTime: '7h',
      fires: [],
    },
  ];
};

export const ALL_ALERTS = (): AlertingRule[] =>
  RULE_FILES.flatMap((file) => file.groups.flatMap((group) => group.rules.filter(isAlert)));

export const ALL_CASES = (): AlertCase[] => [...CAUSE_CASES, ...SLOS.flatMap(sloCases)];
