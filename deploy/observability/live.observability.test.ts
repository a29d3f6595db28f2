import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@memelab/adapters/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  type DistributedBackends,
  freePort,
  type MemelabProcess,
  startDistributedBackends,
  startMemelab,
  TSX_LOADER,
} from '../../apps/cli/src/testing/process-stack.ts';
import { CATALOGUE, KUBERNETES_ONLY, metricsIn, NEEDS_SETUP } from './src/catalogue.ts';
import { dashboardExpressions } from './src/dashboards/builder.ts';
import { DASHBOARDS } from './src/dashboards/dashboards.ts';
import { RULE_FILES } from './src/rules.ts';
import { renderAlertmanagerConfig } from './test/alertmanager-config.ts';
import { eventually, type ServerProcess, startServer } from './test/processes.ts';
import { startTelegramStandIn, type TelegramStandIn } from './test/telegram-stand-in.ts';
import { tool } from './test/tools.ts';

/**
 * The observability stack against the real thing: Debian's Prometheus scrapes a running
 * memelab in distributed mode (api and worker processes on the machine's RabbitMQ and
 * PostgreSQL, an S3 stand-in), healthcare-api, postgres_exporter, node_exporter and
 * RabbitMQ's prometheus plugin, loads the generated rules and sends alerts to Debian's
 * Alertmanager, which delivers them to a stand-in of the Telegram Bot API.
 *
 * Only timings differ from production: 1 s scrapes and evaluations, 1-2 s Alertmanager
 * grouping, and the worker failure-ratio alert with 20 s windows and `for: 5s` instead of
 * 5 m, so it fires and resolves within a test.
 */

const OBSERVABILITY = fileURLToPath(new URL('./', import.meta.url));
const HEALTHCARE_MAIN = fileURLToPath(new URL('../../apps/healthcare-api/src/healthcare.main.ts', import.meta.url));
const RABBITMQ_PROMETHEUS = 'http://127.0.0.1:15692';
const FAST_WINDOW = '20s';

/** Grafana variables with the values "All" gives them. */
const withVariables = (expr: string): string =>
  expr.replaceAll('$namespace', '.*').replaceAll('$instance', '.*').replaceAll('$__rate_interval', '1m');

interface PromResult {
  metric: Record<string, string>;
  value: [number, string];
}

describe('observability against a live Prometheus and Alertmanager', () => {
  let dir: string;
  let backends: DistributedBackends;
  let api: MemelabProcess;
  let worker: MemelabProcess;
  let healthcare: ServerProcess | undefined;
  let healthcarePort: number;
  let healthcareDatabase: ThrowawayDatabase | undefined;
  const servers: ServerProcess[] = [];
  let telegram: TelegramStandIn;
  let prometheusUrl: string;
  let alertmanagerUrl: string;
  let memeIds: string[] = [];

  const query = async (expr: string): Promise<PromResult[]> => {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { result: PromResult[] } };
    if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
    return body.data?.result ?? [];
  };

  const createMeme = async (caption: string): Promise<string> => {
    const response = await fetch(`http://127.0.0.1:${api.port}/api/memes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template: 'rack-of-doom', captions: [caption, 'observability'] }),
    });
    expect([200, 202]).toContain(response.status);
    return ((await response.json()) as { id: string }).id;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'memelab-observability-'));
    backends = await startDistributedBackends({ proxyS3: true });
    const fast = { WORKER_MAX_ATTEMPTS: '2', WORKER_RETRY_BASE_MS: '200', WORKER_RETRY_MAX_MS: '500' };
    api = await startMemelab('api', { ...backends.env, BUILD_VERSION: 'test', BUILD_REVISION: 'live' });
    worker = await startMemelab('worker', { ...backends.env, ...fast, WORKER_CONCURRENCY: '2' });

    healthcarePort = await freePort();
    // On PostgreSQL (not its embedded database), so its connection pool reports.
    healthcareDatabase = await createThrowawayDatabase();
    healthcare = startServer(process.execPath, ['--import', TSX_LOADER, HEALTHCARE_MAIN, 'start'], {
      PORT: String(healthcarePort),
      HOST: '127.0.0.1',
      DATABASE_URL: healthcareDatabase.url,
      MIGRATE_ON_START: 'true',
      LOG_LEVEL: 'warn',
    });
    servers.push(healthcare);
    // healthcare-api must hold its port before the next free port is picked: a server
    // started meanwhile could be handed the same one.
    await eventually(
      'healthcare-api ready',
      async () => ((await fetch(`http://127.0.0.1:${healthcarePort}/readyz`)).status === 200 ? true : undefined),
      { timeoutMs: 90_000 },
    );

    const postgresExporterPort = await freePort();
    servers.push(
      startServer('prometheus-postgres-exporter', [`--web.listen-address=127.0.0.1:${postgresExporterPort}`], {
        DATA_SOURCE_NAME: 'postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable',
      }),
    );
    const nodeExporterPort = await freePort();
    servers.push(
      startServer('prometheus-node-exporter', [
        `--web.listen-address=127.0.0.1:${nodeExporterPort}`,
        '--collector.disable-defaults',
        ...['cpu', 'meminfo', 'filesystem', 'loadavg', 'uname'].map((name) => `--collector.${name}`),
      ]),
    );

    telegram = await startTelegramStandIn();
    const alertmanagerPort = await freePort();
    alertmanagerUrl = `http://127.0.0.1:${alertmanagerPort}`;
    const version = (await tool('amtool', ['--version'])).output;
    const minor = Number(/version 0\.(\d+)/.exec(version)?.[1] ?? 0);
    const amDir = join(dir, 'alertmanager');
    const amConfig = await renderAlertmanagerConfig(amDir, {
      botTokenFileSupported: minor >= 26,
      telegramApiUrl: telegram.url,
    });
    const fastRoutes = (await readFile(amConfig.path, 'utf8'))
      .replace(/group_wait: \w+/g, 'group_wait: 1s')
      .replace(/group_interval: \w+/g, 'group_interval: 2s');
    await writeFile(amConfig.path, fastRoutes);
    servers.push(
      startServer('prometheus-alertmanager', [
        `--config.file=${amConfig.path}`,
        `--storage.path=${join(amDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
        `--web.external-url=${alertmanagerUrl}`,
        '--cluster.listen-address=',
      ]),
    );

    // The generated rules, with the worker failure-ratio alert (and the ratio it reads) on short windows.
    const rulesDir = join(dir, 'rules');
    await mkdir(rulesDir, { recursive: true });
    for (const file of RULE_FILES) {
      const text = await readFile(join(OBSERVABILITY, 'prometheus/rules', `${file.name}.rules.yaml`), 'utf8');
      const rules = parse(text) as {
        groups: { rules: { record?: string; alert?: string; expr: string; for?: string }[] }[];
      };
      for (const rule of rules.groups.flatMap((group) => group.rules)) {
        if (
          rule.record === 'namespace:memelab_worker_failures:ratio_rate5m' ||
          rule.alert === 'MemelabWorkerFailureRatioHigh'
        ) {
          rule.expr = rule.expr.replaceAll('[5m]', `[${FAST_WINDOW}]`);
          if (rule.alert !== undefined) rule.for = '5s';
        }
      }
      await writeFile(join(rulesDir, `${file.name}.rules.yaml`), stringify(rules));
    }
    const target = (
      job: string,
      port: number,
      labels: Record<string, string>,
      extra: Record<string, unknown> = {},
    ) => ({
      job_name: job,
      static_configs: [{ targets: [`127.0.0.1:${port}`], labels }],
      ...extra,
    });
    const prometheusPort = await freePort();
    prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    const config = {
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: [join(rulesDir, '*.rules.yaml')],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${alertmanagerPort}`] }] }] },
      scrape_configs: [
        target('prometheus', prometheusPort, {}),
        target('memelab-api', api.port, { namespace: 'memelab' }),
        target('memelab-worker', worker.port, { namespace: 'memelab' }),
        target('healthcare-api', healthcarePort, { namespace: 'healthcare' }),
        target('postgres-exporter', postgresExporterPort, { namespace: 'memelab' }),
        target('node-exporter', nodeExporterPort, {}),
        target('rabbitmq', 15692, { namespace: 'memelab' }),
        target(
          'rabbitmq-queues',
          15692,
          { namespace: 'memelab' },
          {
            metrics_path: '/metrics/detailed',
            params: { family: ['queue_coarse_metrics', 'queue_consumer_count'], vhost: ['/'] },
          },
        ),
      ],
    };
    const configPath = join(dir, 'prometheus.yml');
    await writeFile(configPath, stringify(config));
    const check = await tool('promtool', ['check', 'config', configPath]);
    expect(check.code, check.output).toBe(0);
    servers.push(
      startServer('prometheus', [
        `--config.file=${configPath}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
        '--log.level=warn',
      ]),
    );
    // RabbitMQ's plugin: enabled on the shared broker once (it is not restarted for it).
    await eventually(
      'RabbitMQ prometheus plugin',
      async () => ((await fetch(`${RABBITMQ_PROMETHEUS}/metrics`)).ok ? true : undefined),
      {
        timeoutMs: 5_000,
      },
    ).catch(async () => {
      const enabled = await tool('rabbitmq-plugins', ['enable', 'rabbitmq_prometheus']);
      expect(enabled.code, enabled.output).toBe(0);
    });
    await eventually('Prometheus ready', async () => ((await fetch(`${prometheusUrl}/-/ready`)).ok ? true : undefined));
  });

  afterAll(async () => {
    for (const server of servers.reverse()) await server.stop();
    for (const memelab of [worker, api]) {
      if (memelab !== undefined && memelab.child.exitCode === null) {
        memelab.child.kill('SIGTERM');
        await memelab.exited;
      }
    }
    await telegram?.close();
    await backends?.cleanup();
    await healthcareDatabase?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('scrapes every target: api, worker, healthcare-api, postgres_exporter, node_exporter, RabbitMQ', async () => {
    const jobs = [
      'memelab-api',
      'memelab-worker',
      'healthcare-api',
      'postgres-exporter',
      'node-exporter',
      'rabbitmq',
      'rabbitmq-queues',
    ];
    const down = await eventually(
      'every target up',
      async () => {
        const up = await query('up');
        const healthy = new Set(up.filter((series) => series.value[1] === '1').map((series) => series.metric.job));
        return jobs.every((job) => healthy.has(job)) ? [] : undefined;
      },
      { timeoutMs: 90_000 },
    ).catch((error: unknown) => [String(error), healthcare?.output() ?? '']);
    expect(down).toEqual([]);
  });

  it('drives traffic through every route the dashboards show', async () => {
    const base = `http://127.0.0.1:${api.port}`;
    memeIds = [];
    for (let i = 0; i < 12; i += 1) memeIds.push(await createMeme(`live scrape ${i} ${Date.now()}`));
    for (const id of memeIds) {
      const meme = (await (await fetch(`${base}/api/memes/${id}?wait=20`)).json()) as { status: string };
      expect(meme.status).toBe('done');
    }
    for (const id of memeIds) {
      for (let i = 0; i < 2; i += 1) expect((await fetch(`${base}/m/${id}.jpg`)).status).toBe(200);
    }
    expect((await fetch(`${base}/images/rack-of-doom/live_scrape/memegen.jpg`)).status).toBe(200);
    expect((await fetch(`${base}/api/templates`)).status).toBe(200);
    const missing = (await fetch(`${base}/m/${'0'.repeat(64)}.jpg`)).status;
    expect(missing >= 400 && missing < 500).toBe(true);
    const hc = `http://127.0.0.1:${healthcarePort}`;
    for (let i = 0; i < 5; i += 1) {
      expect((await fetch(`${hc}/healthz`)).status).toBe(200);
      await fetch(`${hc}/Patient`);
      await fetch(`${hc}/no-such-route`);
    }
  });

  it('fires the worker failure-ratio alert to Telegram when the object store is down, then the resolved notice', async () => {
    const proxy = backends.s3Proxy;
    if (proxy === undefined) throw new Error('the stack runs without an S3 relay');
    // The renders of the traffic above leave the alert's 20 s window first.
    await new Promise((resolve) => setTimeout(resolve, 21_000));
    await proxy.stop();
    let round = 0;
    const firing = await eventually(
      'a FIRING message for MemelabWorkerFailureRatioHigh',
      async () => {
        await createMeme(`object store down ${round++} ${Date.now()}`);
        return telegram.messages.find((message) => message.text.includes('MemelabWorkerFailureRatioHigh'));
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    expect(firing.chatId).toBe('-1001');
    expect(firing.token).toBe('123456:test-token');
    expect(firing.parseMode).toBe('HTML');
    expect(firing.disableNotification).toBe(false);
    expect(firing.text).toContain('🔥 FIRING');
    expect(firing.text).toContain('[critical, memelab, memelab]');
    expect(firing.text).toContain('Render workers fail more than 10 % of their jobs.');
    expect(firing.text).toMatch(/Value: (0\.\d+|1)\n/);
    expect(firing.text).toMatch(/\d+(\.\d+)?% of render jobs in namespace memelab failed or were retried/);
    expect(firing.text).toContain(
      '<a href="https://github.com/memelab/memelab/blob/main/docs/runbooks/memelab.md#memelabworkerfailureratiohigh">Runbook</a>',
    );
    expect(firing.text).toContain(
      `<a href="${alertmanagerUrl}/#/silences/new?filter=%7Balertname%3D%22MemelabWorkerFailureRatioHigh%22`,
    );

    await proxy.start();
    const resolved = await eventually(
      'a RESOLVED message for MemelabWorkerFailureRatioHigh',
      async () => {
        await createMeme(`object store back ${round++} ${Date.now()}`);
        return telegram.messages.find(
          (message) => message.text.includes('MemelabWorkerFailureRatioHigh') && message.text.includes('RESOLVED'),
        );
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    expect(resolved.chatId).toBe('-1001');
    expect(resolved.text).toContain('✅ RESOLVED');
    expect(resolved.text).not.toContain('Silence');
  });

  it('silences the pod alerts of a node that is down, and only those (inhibition)', async () => {
    const now = new Date().toISOString();
    const alert = (labels: Record<string, string>) => ({
      labels,
      annotations: { summary: `${labels.alertname} on ${labels.node}`, description: 'posted by the test', value: '1' },
      startsAt: now,
    });
    const posted = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert({ alertname: 'KubeNodeNotReady', node: 'node-1', severity: 'critical', tenant: 'platform' }),
        alert({
          alertname: 'KubePodCrashLooping',
          node: 'node-1',
          namespace: 'healthcare',
          pod: 'api-1',
          severity: 'warning',
          tenant: 'healthcare',
        }),
        alert({
          alertname: 'KubePodCrashLooping',
          node: 'node-2',
          namespace: 'healthcare',
          pod: 'api-2',
          severity: 'warning',
          tenant: 'healthcare',
        }),
      ]),
    });
    expect(posted.status).toBe(200);
    const states = await eventually('the posted alerts, routed', async () => {
      const alerts = (await (await fetch(`${alertmanagerUrl}/api/v2/alerts`)).json()) as {
        labels: Record<string, string>;
        status: { state: string; inhibitedBy: string[] };
      }[];
      const byNode = (name: string, node: string) =>
        alerts.find((candidate) => candidate.labels.alertname === name && candidate.labels.node === node)?.status;
      const result = {
        node: byNode('KubeNodeNotReady', 'node-1'),
        podOnDownNode: byNode('KubePodCrashLooping', 'node-1'),
        podElsewhere: byNode('KubePodCrashLooping', 'node-2'),
      };
      return result.podOnDownNode?.state === 'suppressed' || result.podOnDownNode?.inhibitedBy.length
        ? result
        : undefined;
    });
    expect(states.node?.state).toBe('active');
    expect(states.podOnDownNode?.inhibitedBy.length).toBeGreaterThan(0);
    expect(states.podElsewhere?.state).toBe('active');
    // Delivered: the node alert to the platform chat, the other pod's to the healthcare chat (silently).
    const delivered = await eventually('both notifications', async () => {
      const node = telegram.messages.find((message) => message.text.includes('KubeNodeNotReady'));
      const pod = telegram.messages.find((message) => message.text.includes('KubePodCrashLooping'));
      return node !== undefined && pod !== undefined ? { node, pod } : undefined;
    });
    expect(delivered.node.chatId).toBe('1003');
    expect(delivered.pod.chatId).toBe('-1002');
    expect(delivered.pod.disableNotification).toBe(true);
    expect(delivered.pod.text).toContain('KubePodCrashLooping on node-2');
    expect(telegram.messages.some((message) => message.text.includes('KubePodCrashLooping on node-1'))).toBe(false);
  });

  it('has every metric of the catalogue, except those only a Kubernetes cluster has', async () => {
    const missing: string[] = [];
    for (const entry of CATALOGUE) {
      if (KUBERNETES_ONLY[entry.source] !== undefined || NEEDS_SETUP[entry.name] !== undefined) continue;
      const suffix = entry.type === 'histogram' ? '_count' : '';
      if ((await query(`count(${entry.name}${suffix})`)).length === 0) missing.push(entry.name);
    }
    expect(missing).toEqual([]);
  });

  /** Why an expression may return nothing here: every metric it lacks has a recorded reason. */
  const exemption = async (expr: string): Promise<string | undefined> => {
    const absent: string[] = [];
    for (const name of metricsIn(expr)) if ((await query(`count(${name})`)).length === 0) absent.push(name);
    if (absent.length === 0) return undefined;
    const reasons = absent.map((name) => {
      const entry = CATALOGUE.find((candidate) => candidate.name === name.replace(/_(bucket|count|sum)$/, ''));
      return NEEDS_SETUP[name] ?? (entry === undefined ? undefined : KUBERNETES_ONLY[entry.source]);
    });
    return reasons.every((reason) => reason !== undefined) ? reasons.join('; ') : `no data for ${absent.join(', ')}`;
  };

  it('answers every dashboard expression with data, or names the Kubernetes source it needs', async () => {
    const problems: string[] = [];
    const exempt: string[] = [];
    for (const dashboard of DASHBOARDS) {
      for (const { panel, expr } of dashboardExpressions(dashboard)) {
        const concrete = withVariables(expr);
        let result: PromResult[];
        try {
          result = await query(concrete);
        } catch (error) {
          problems.push(`${dashboard.uid} / ${panel}: ${String(error)}`);
          continue;
        }
        if (result.length > 0) continue;
        const reason = await exemption(concrete);
        if (reason === undefined || reason.startsWith('no data'))
          problems.push(`${dashboard.uid} / ${panel}: ${reason ?? 'empty'}`);
        else exempt.push(`${dashboard.uid} / ${panel}: ${reason}`);
      }
    }
    expect(problems).toEqual([]);
    // The exempt ones are the cluster's: pods, nodes' Kubernetes state, certificates.
    expect(exempt.every((line) => /kube|cAdvisor|cert-manager|replica/.test(line))).toBe(true);
  });

  it('evaluates every rule without error; recording rules record, alerts read metrics that exist', async () => {
    const response = (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as {
      data: {
        groups: {
          name: string;
          rules: { name: string; query: string; health: string; lastError?: string; type: string }[];
        }[];
      };
    };
    const rules = response.data.groups.flatMap((group) => group.rules);
    const expected = RULE_FILES.flatMap((file) => file.groups.flatMap((group) => group.rules)).length;
    expect(rules.length).toBe(expected);
    const problems: string[] = [];
    for (const rule of rules) {
      if (rule.health !== 'ok') problems.push(`${rule.name}: ${rule.health} ${rule.lastError ?? ''}`);
      if (rule.type === 'recording') {
        if ((await query(rule.name)).length > 0) continue;
        const reason = await exemption(rule.query);
        if (reason === undefined || reason.startsWith('no data'))
          problems.push(`${rule.name} records nothing: ${reason ?? 'empty'}`);
      } else {
        const reason = await exemption(rule.query);
        if (reason?.startsWith('no data')) problems.push(`${rule.name}: ${reason}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
