/**
 * The rendered pod specs of the homelab overlay, run with podman (lib/pod-runner.ts) from
 * the images the container suite builds: the migration Jobs complete; api, worker, web and
 * healthcare-api pass their startup, readiness and liveness probes on the paths and ports
 * the manifests name; each runs as its declared UID and GID, with no capability, no new
 * privileges, a root filesystem that refuses writes and only its emptyDirs writable; and
 * a meme created through web is rendered by the worker.
 *
 * `npm run test:k8s-pods`. Needs podman, runc, busybox-static and nginx-light (installed by
 * deploy/test/ensure-container-tools.sh when running as root), PostgreSQL and RabbitMQ on
 * 127.0.0.1. Images live in the container suite's storage (.tmp/containers) and are built
 * only when missing.
 *
 * What differs from a cluster, and only that: the pods reach PostgreSQL, RabbitMQ and an
 * S3 test server through relays on the podman network's gateway, so the backend addresses
 * (and a database, queue prefix and service role of their own on the shared services) are
 * set over the ConfigMap's; the Secrets hold this machine's credentials.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistributedBackends } from '../../../apps/cli/src/testing/process-stack.ts';
import { buildLocalBaseImages, type LocalBaseImages } from '../../test/local-base-images.ts';
import { createPodman, type Podman, runCommand } from '../../test/podman.ts';
import { buildImage } from '../../test/project-images.ts';
import { startTcpRelay, type TcpRelay } from '../../test/tcp-relay.ts';
import { podmanRunArgs, quantityBytes, resolveEnv } from './lib/pod-runner.ts';
import { type K8sObject, REPOSITORY_ROOT, renderOverlay } from './lib/render.ts';
import { type Container, type Workload, workloadsOf } from './lib/workloads.ts';

const STATE_DIR = join(REPOSITORY_ROOT, '.tmp/containers');
const ENSURE_TOOLS = join(REPOSITORY_ROOT, 'deploy/test/ensure-container-tools.sh');
const TARGETS = {
  'memelab/api': 'api',
  'memelab/worker': 'worker',
  'memelab/web': 'web',
  'healthcare/healthcare-api': 'healthcare-api',
} as const;
type Target = (typeof TARGETS)[keyof typeof TARGETS];
const imageTag = (target: Target) => `localhost/memelab/${target}:test`;

let podman: Podman;
let objects: K8sObject[];
let workloads: Workload[];
const cleanups: Array<() => Promise<unknown>> = [];
const running = new Map<
  string,
  { container: string; workload: Workload; spec: Container; ports: Map<number, number> }
>();
const memory: Record<string, number> = {};

const workload = (id: string): Workload => {
  const found = workloads.find((candidate) => `${candidate.namespace}/${candidate.name}` === id);
  if (found === undefined) throw new Error(`no workload ${id}`);
  return found;
};

/** Builds one Dockerfile target the way deploy/test/project-images.ts does, unless it is there. */
const ensureImage = async (target: Target, base: LocalBaseImages): Promise<void> => {
  if ((await podman.attempt(['image', 'exists', imageTag(target)])).code === 0) return;
  process.stderr.write(`[k8s-pods] building ${imageTag(target)} (target ${target})\n`);
  await buildImage(podman, { target, tag: imageTag(target), base });
};

/** healthcare-api's pods run where the Dockerfile has its target. */
const HEALTHCARE = /^FROM .* AS healthcare-api$/m.test(readFileSync(join(REPOSITORY_ROOT, 'Dockerfile'), 'utf8'));
const PODS = Object.keys(TARGETS).filter((id) => HEALTHCARE || id !== 'healthcare/healthcare-api');

const poll = async (what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};

const logsOf = async (name: string) => {
  const logs = await podman.attempt(['logs', '--tail', '30', name]);
  return `${logs.stdout}${logs.stderr}`;
};

/** Starts one container of a pod template; returns its host port for each container port. */
const start = async (
  id: string,
  spec: Container,
  image: string,
  network: string,
  env: Record<string, string>,
  aliases: string[] = [],
) => {
  const name = `k8s-pods-${process.pid}-${id.replace('/', '-')}`;
  cleanups.push(() => podman.attempt(['rm', '--force', '--time', '0', name]));
  await podman.run(podmanRunArgs(workload(id), spec, { name, image, network, aliases, env }));
  const ports = new Map<number, number>();
  for (const port of spec.ports ?? []) {
    const published = (await podman.run(['port', name, `${port.containerPort}/tcp`])).stdout.trim();
    ports.set(port.containerPort, Number(published.split(':').pop()));
  }
  running.set(id, { container: name, workload: workload(id), spec, ports });
  return name;
};

/** Runs a Job's pod to completion and returns its exit code. */
const runJob = async (id: string, image: string, network: string, env: Record<string, string>): Promise<number> => {
  const spec = workload(id).podSpec.containers[0];
  const name = await start(id, spec, image, network, env);
  const { stdout } = await podman.run(['wait', name], { timeoutMs: 180_000 });
  const code = Number(stdout.trim());
  if (code !== 0) process.stderr.write(`[k8s-pods] ${id} exited ${code}:\n${await logsOf(name)}\n`);
  return code;
};

const probeUrl = (id: string, probe: { httpGet: { path: string; port: string | number } }): string => {
  const { spec, ports } = running.get(id) ?? {};
  const port =
    typeof probe.httpGet.port === 'number'
      ? probe.httpGet.port
      : spec?.ports.find((declared: { name: string }) => declared.name === probe.httpGet.port)?.containerPort;
  return `http://127.0.0.1:${ports?.get(port)}${probe.httpGet.path}`;
};

const status = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
    (response) => response.status,
    () => 0,
  );

const database = { name: '', role: '' };

beforeAll(async () => {
  const tools = await runCommand('bash', [ENSURE_TOOLS], { echo: /^installing / });
  if (tools.code !== 0) throw new Error(tools.stderr.trim());
  podman = await createPodman(STATE_DIR);
  const base = await buildLocalBaseImages(podman, STATE_DIR);
  for (const target of ['api', 'worker', 'web', ...(HEALTHCARE ? ['healthcare-api' as const] : [])] as Target[])
    await ensureImage(target, base);

  objects = await renderOverlay('homelab');
  workloads = workloadsOf(objects);
  const configMaps = (namespace: string) =>
    new Map(
      objects
        .filter((object) => object.kind === 'ConfigMap' && object.metadata.namespace === namespace)
        .map((object) => [object.metadata.name as string, object.data as Record<string, string>]),
    );

  const backends = await startDistributedBackends();
  cleanups.push(() => backends.cleanup());
  const network = `k8s-pods-${process.pid}`;
  await podman.run(['network', 'create', network]);
  cleanups.push(() => podman.attempt(['network', 'rm', '--force', network]));
  // The network's bridge (and its gateway address) exists while a container is attached.
  const holder = `k8s-pods-${process.pid}-holder`;
  cleanups.push(() => podman.attempt(['rm', '--force', '--time', '0', holder]));
  await podman.run([
    'run',
    '--detach',
    '--name',
    holder,
    '--network',
    network,
    '--entrypoint',
    'node',
    imageTag('api'),
    '-e',
    'setInterval(() => {}, 1 << 30)',
  ]);
  const gateway = JSON.parse((await podman.run(['network', 'inspect', network])).stdout)[0]?.subnets?.[0]
    ?.gateway as string;
  const relays: TcpRelay[] = [];
  cleanups.push(() => Promise.all(relays.map((relay) => relay.close())));
  const relay = async (port: number) => {
    const started = await startTcpRelay(gateway, port);
    relays.push(started);
    return `${gateway}:${started.port}`;
  };
  const postgres = await relay(5432);
  const rabbitmq = await relay(5672);
  const s3 = await relay(Number(new URL(backends.env.S3_ENDPOINT ?? '').port));
  const databaseName = new URL(backends.env.DATABASE_URL ?? '').pathname.slice(1);

  // This machine's credentials in place of the Secrets (PostgreSQL trusts local connections).
  const secrets = new Map<string, Record<string, string>>([
    ['postgres-credentials', { POSTGRES_PASSWORD: 'unused-with-trust' }],
    ['rabbitmq-credentials', { username: 'guest', password: 'guest', 'erlang-cookie': 'unused' }],
    [
      'minio-credentials',
      {
        MINIO_ROOT_USER: backends.env.S3_ACCESS_KEY_ID ?? '',
        MINIO_ROOT_PASSWORD: backends.env.S3_SECRET_ACCESS_KEY ?? '',
      },
    ],
    ['healthcare-db-service', { DB_SERVICE_PASSWORD: 'unused-with-trust' }],
  ]);
  const memelabBackends = {
    DATABASE_URL: `postgres://postgres@${postgres}/${databaseName}`,
    RABBITMQ_HOST: rabbitmq,
    AMQP_PREFIX: backends.prefix,
    S3_ENDPOINT: `http://${s3}`,
  };
  const envOf = (id: string, overrides: Record<string, string>) => {
    const found = workload(id);
    const env = resolveEnv(found, found.podSpec.containers[0], { configMaps: configMaps(found.namespace), secrets });
    // Re-expand what depended on an overridden value (AMQP_URL on RABBITMQ_HOST).
    return Object.fromEntries(
      Object.entries({ ...env, ...overrides }).map(([key, value]) => [
        key,
        value.replace(`@${env.RABBITMQ_HOST}`, `@${overrides.RABBITMQ_HOST ?? env.RABBITMQ_HOST}`),
      ]),
    );
  };

  expect(
    await runJob(
      'memelab/memelab-migrate',
      imageTag('api'),
      network,
      envOf('memelab/memelab-migrate', memelabBackends),
    ),
  ).toBe(0);
  await start(
    'memelab/api',
    workload('memelab/api').podSpec.containers[0],
    imageTag('api'),
    network,
    envOf('memelab/api', memelabBackends),
    ['api'],
  );
  await start(
    'memelab/worker',
    workload('memelab/worker').podSpec.containers[0],
    imageTag('worker'),
    network,
    envOf('memelab/worker', memelabBackends),
  );

  if (HEALTHCARE) {
    database.name = `healthcare_pods_${process.pid}`;
    database.role = `healthcare_app_${process.pid}`;
    const admin = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database.name}`);
    await admin.end();
    cleanups.push(async () => {
      const client = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`);
      await client.query(`DROP ROLE IF EXISTS ${database.role}`);
      await client.end();
    });
    const migrate = envOf('healthcare/healthcare-migrate', {
      DATABASE_URL: `postgres://postgres@${postgres}/${database.name}`,
      DB_SERVICE_ROLE: database.role,
    });
    expect(await runJob('healthcare/healthcare-migrate', imageTag('healthcare-api'), network, migrate)).toBe(0);
    await start(
      'healthcare/healthcare-api',
      workload('healthcare/healthcare-api').podSpec.containers[0],
      imageTag('healthcare-api'),
      network,
      envOf('healthcare/healthcare-api', { DATABASE_URL: `postgres://${database.role}@${postgres}/${database.name}` }),
    );
  }

  // web resolves `api` when it starts, as on the cluster (the api Service's name).
  await poll(
    'api ready',
    async () =>
      (await status(probeUrl('memelab/api', workload('memelab/api').podSpec.containers[0].readinessProbe))) === 200,
    150_000,
  ).catch(async (error) => {
    throw new Error(`${(error as Error).message}\n${await logsOf(running.get('memelab/api')?.container ?? '')}`);
  });
  await start(
    'memelab/web',
    workload('memelab/web').podSpec.containers[0],
    imageTag('web'),
    network,
    envOf('memelab/web', {}),
  );
});

afterAll(async () => {
  process.stderr.write(`[k8s-pods] memory in use per container (MiB): ${JSON.stringify(memory)}\n`);
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** A pod the suite started; a test of one that did not start fails rather than passing by default. */
const pod = (id: string) => {
  const found = running.get(id);
  if (found === undefined) throw new Error(`${id} is not running`);
  return found;
};

describe('the rendered pods under podman', () => {
  it('run the migration Jobs to completion and every long-running pod', () => {
    expect([...running.keys()].sort()).toEqual(
      [...PODS, 'memelab/memelab-migrate', ...(HEALTHCARE ? ['healthcare/healthcare-migrate'] : [])].sort(),
    );
  });

  it.each(PODS)('%s passes its startup, readiness and liveness probes', async (id) => {
    const { spec } = pod(id);
    const startup = spec.startupProbe;
    await poll(
      `${id} startup probe`,
      async () => (await status(probeUrl(id, startup))) === 200,
      startup.periodSeconds * startup.failureThreshold * 1000,
    ).catch(async (error) => {
      throw new Error(`${(error as Error).message}\n${await logsOf(running.get(id)?.container ?? '')}`);
    });
    await poll(`${id} readiness probe`, async () => (await status(probeUrl(id, spec.readinessProbe))) === 200, 60_000);
    expect(await status(probeUrl(id, spec.livenessProbe))).toBe(200);
  });

  it.each(PODS)('%s runs as its declared UID and GID, with fsGroup as a supplementary group', async (id) => {
    const { container, spec, workload } = pod(id);
    const security = { ...workload.podSpec.securityContext, ...spec.securityContext };
    const ids = (await podman.run(['exec', container, 'sh', '-c', 'echo "$(id -u) $(id -g) $(id -G)"'])).stdout
      .trim()
      .split(' ');
    expect(Number(ids[0])).toBe(security.runAsUser);
    expect(Number(ids[0])).toBeGreaterThan(10000);
    expect(Number(ids[1])).toBe(security.runAsGroup);
    expect(ids.slice(2).map(Number)).toContain(workload.podSpec.securityContext.fsGroup);
  });

  it.each(PODS)('%s cannot write its root filesystem, only its emptyDirs', async (id) => {
    const { container, spec } = pod(id);
    for (const path of ['/probe', '/etc/probe', '/app/probe', '/usr/probe']) {
      const write = await podman.attempt(['exec', container, 'sh', '-c', `echo x > ${path}`]);
      expect(write.code, path).not.toBe(0);
      expect(write.stderr, path).toMatch(/Read-only file system|Permission denied|nonexistent directory|No such file/);
    }
    expect((await podman.attempt(['exec', container, 'sh', '-c', 'echo x > /probe'])).stderr).toMatch(
      /Read-only file system/,
    );
    for (const mount of spec.volumeMounts ?? []) {
      const write = await podman.attempt([
        'exec',
        container,
        'sh',
        '-c',
        `echo x > ${mount.mountPath}/probe && rm ${mount.mountPath}/probe`,
      ]);
      expect(write.code, mount.mountPath).toBe(0);
    }
  });

  it.each(PODS)('%s has no capability and cannot gain privileges', async (id) => {
    const { container } = pod(id);
    const status = (await podman.run(['exec', container, 'cat', '/proc/1/status'])).stdout;
    expect(status).toMatch(/^CapEff:\s+0000000000000000$/m);
    expect(status).toMatch(/^CapBnd:\s+0000000000000000$/m);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
  });

  it.each(PODS)('%s is held to its memory limit', async (id) => {
    const { container, spec } = pod(id);
    const [inspected] = JSON.parse((await podman.run(['inspect', container])).stdout);
    expect(inspected.HostConfig.Memory).toBe(quantityBytes(spec.resources.limits.memory));
    const stats = JSON.parse((await podman.run(['stats', '--no-stream', '--format', 'json', container])).stdout)[0];
    const used = Number.parseFloat(String(stats?.mem_usage ?? '0').split('/')[0] ?? '0');
    const unit = String(stats?.mem_usage ?? '').match(/[kMG]B/)?.[0] ?? 'MB';
    memory[id] = Math.round(used * (({ kB: 1 / 1024, MB: 1, GB: 1024 } as Record<string, number>)[unit] ?? 1));
    expect(memory[id]).toBeLessThan(quantityBytes(spec.resources.limits.memory) / 1024 / 1024);
  });

  it('serves a meme created through web, rendered by the worker', async () => {
    const web = running.get('memelab/web');
    const base = `http://127.0.0.1:${web?.ports.get(8080)}`;
    await poll('web proxies the api', async () => (await status(`${base}/api/templates`)) === 200, 30_000);
    const created = await fetch(`${base}/api/memes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template: 'rack-of-doom', captions: ['rendered by', 'the rendered pod spec'] }),
    });
    expect([200, 202]).toContain(created.status);
    const { id } = (await created.json()) as { id: string };
    const settled = (await (await fetch(`${base}/api/memes/${id}?wait=30`)).json()) as { status: string };
    expect(settled.status).toBe('done');
    const image = await fetch(`${base}/m/${id}.jpg`);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
  });
});
