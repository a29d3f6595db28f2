import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { s3TestServerSettings, startS3TestServer } from '@memelab/adapters/testing';
import { hardenedRunArgs } from '../../../../deploy/test/container-stack.ts';
import { buildLocalBaseImages } from '../../../../deploy/test/local-base-images.ts';
import { createPodman, type Podman } from '../../../../deploy/test/podman.ts';
import { buildProjectImages, REPOSITORY_ROOT } from '../../../../deploy/test/project-images.ts';
import { startTcpRelay, type TcpRelay } from '../../../../deploy/test/tcp-relay.ts';
import { freePort } from '../testing/memelab-process.ts';
import { createPrivatePostgres, type PrivatePostgres } from './private-postgres.ts';
import { createPrivateRabbitMq, type PrivateRabbitMq } from './private-rabbitmq.ts';

/**
 * The dependencies of an experiment that runs memelab's images under podman's resource
 * limits: a private PostgreSQL, a private RabbitMQ node and an S3 server on this machine,
 * a podman network of its own, and relays on that network's gateway through which the
 * containers reach them (the services listen on loopback only, as in the container suite).
 *
 * Podman keeps its configuration and images where the container suite does
 * (`.tmp/containers`: runc, cgroupfs, explicit ulimits), so the images that suite built are
 * reused, and built once here when missing.
 */
export interface ContainerChaosStack {
  readonly podman: Podman;
  readonly images: { readonly api: string; readonly worker: string };
  readonly network: string;
  readonly postgres: PrivatePostgres;
  readonly rabbit: PrivateRabbitMq;
  /** Environment for memelab processes on this machine. */
  readonly hostEnv: Record<string, string>;
  /** The same services as containers on the network reach them. */
  readonly containerEnv: Record<string, string>;
  /** `podman run --detach` hardened as the image runs in compose.yaml and Kubernetes; removed at the end. */
  runContainer(name: string, image: string, flags: readonly string[], command?: readonly string[]): Promise<void>;
  destroy(): Promise<void>;
}

export const CONTAINER_STATE_DIR = join(REPOSITORY_ROOT, '.tmp/containers');
const IMAGES = { api: 'localhost/memelab/api:test', worker: 'localhost/memelab/worker:test' } as const;
const BUCKET = 'memes';

/** The project's api and worker images, built from the Dockerfile only when podman has none. */
export const ensureImages = async (podman: Podman, log: (message: string) => void): Promise<typeof IMAGES> => {
  const exists = async (tag: string) => (await podman.attempt(['image', 'exists', tag])).code === 0;
  if ((await exists(IMAGES.api)) && (await exists(IMAGES.worker))) return IMAGES;
  log('building the memelab images (once; later runs reuse them)');
  const base = await buildLocalBaseImages(podman, CONTAINER_STATE_DIR);
  await buildProjectImages(podman, base);
  return IMAGES;
};

export const startContainerChaosStack = async (
  id: string,
  log: (message: string) => void,
): Promise<ContainerChaosStack> => {
  const cleanups: Array<() => Promise<unknown>> = [];
  const destroy = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const podman = await createPodman(CONTAINER_STATE_DIR);
    log('starting a private PostgreSQL and RabbitMQ, an S3 server; finding the images');
    const [images, postgres, rabbit, s3] = await Promise.all([
      ensureImages(podman, log),
      freePort().then(createPrivatePostgres),
      Promise.all([freePort(), freePort()]).then(([amqp, dist]) => createPrivateRabbitMq(amqp, dist)),
      startS3TestServer({ separateProcess: true }),
    ]);
    cleanups.push(
      () => postgres.destroy(),
      () => rabbit.destroy(),
      () => s3.stop(),
    );
    const network = `${id}-net`;
    await podman.attempt(['network', 'rm', '--force', network]);
    await podman.run(['network', 'create', network]);
    cleanups.push(() => podman.attempt(['network', 'rm', '--force', network]));
    const containers: string[] = [];
    cleanups.push(() => Promise.all(containers.map((name) => podman.attempt(['rm', '--force', '--time', '0', name]))));
    const runContainer = async (
      name: string,
      image: string,
      flags: readonly string[],
      command: readonly string[] = [],
    ): Promise<void> => {
      containers.push(name);
      await podman.attempt(['rm', '--force', '--time', '0', name]);
      await podman.run(hardenedRunArgs(name, network, image, flags, command));
    };
    // The bridge, and so the gateway the relays listen on, exists only while a container is attached.
    await runContainer(`${id}-holder`, images.api, ['--entrypoint', 'node'], ['-e', 'setInterval(() => {}, 1 << 30)']);
    const gateway = JSON.parse((await podman.run(['network', 'inspect', network])).stdout)[0]?.subnets?.[0]?.gateway as
      | string
      | undefined;
    if (gateway === undefined) throw new Error(`podman network ${network} has no gateway`);
    const relays: TcpRelay[] = [];
    cleanups.push(() => Promise.all(relays.map((relay) => relay.close())));
    const relay = async (port: number): Promise<number> => {
      const started = await startTcpRelay(gateway, port);
      relays.push(started);
      return started.port;
    };
    const s3Port = Number(new URL(s3.endpoint).port);
    const rabbitPort = Number(new URL(rabbit.url).port);
    const common = {
      AMQP_PREFIX: 'chaos',
      ...s3TestServerSettings(s3, BUCKET),
      RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
    };
    const hostEnv = { ...common, DATABASE_URL: postgres.url, AMQP_URL: rabbit.url };
    const containerEnv = {
      ...common,
      DATABASE_URL: `postgres://postgres@${gateway}:${await relay(postgres.port)}/postgres`,
      AMQP_URL: `amqp://guest:guest@${gateway}:${await relay(rabbitPort)}`,
      // The gateway's address, not a name: the S3 server takes a bucket from a Host that is a domain name.
      S3_ENDPOINT: `http://${gateway}:${await relay(s3Port)}`,
    };
    return { podman, images, network, postgres, rabbit, hostEnv, containerEnv, runContainer, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
};

export const envFlags = (env: Record<string, string>): string[] =>
  Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);

/** Polls `url` until it answers 200; resolves with when that answer came, or undefined at the deadline. */
export const firstOk = async (url: string, deadline: number, timeoutMs = 3000): Promise<number | undefined> => {
  while (performance.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).then(
      async (response) => {
        await response.body?.cancel();
        return response.status === 200;
      },
      () => false,
    );
    if (ok) return performance.now();
    await sleep(250);
  }
  return undefined;
};
