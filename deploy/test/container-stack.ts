import { startDistributedBackends } from '../../apps/cli/src/testing/process-stack.ts';
import type { Podman } from './podman.ts';
import type { ImageTarget } from './project-images.ts';
import { startTcpRelay, type TcpRelay } from './tcp-relay.ts';

/** The flags every memelab container runs with here, as in compose.yaml and Kubernetes. */
export const HARDENED_RUN_FLAGS = [
  '--read-only',
  '--cap-drop=ALL',
  '--security-opt=no-new-privileges',
  '--user',
  '10001:10001',
] as const;

/** `podman run` arguments for a detached project container on `network`, with the flags above. */
export const hardenedRunArgs = (
  name: string,
  network: string,
  image: string,
  flags: readonly string[] = [],
  command: readonly string[] = [],
): string[] => [
  'run',
  '--detach',
  '--name',
  name,
  '--network',
  network,
  ...HARDENED_RUN_FLAGS,
  ...flags,
  image,
  ...command,
];

export interface ContainerStack {
  /** Base URL of the web container (nginx) as published on this machine. */
  readonly webUrl: string;
  readonly names: { readonly api: string; readonly workers: readonly string[]; readonly web: string };
  stop(): Promise<void>;
}

/**
 * api, two workers and web, each a container from the project's images on a podman
 * network of their own, with the API reachable as `api` like in compose.yaml. Backing
 * services are the machine's PostgreSQL and RabbitMQ and an S3-compatible test server,
 * reached from the containers through relays on the network's gateway.
 */
export const startContainerStack = async (
  podman: Podman,
  images: Readonly<Record<ImageTarget, { readonly tag: string }>>,
  webPort: number,
): Promise<ContainerStack> => {
  const id = `memelab-ct-${process.pid}`;
  const network = `${id}-net`;
  const names = { api: `${id}-api`, workers: [`${id}-worker-1`, `${id}-worker-2`], web: `${id}-web` };
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    await podman.run(['network', 'create', network]);
    cleanups.push(() => podman.attempt(['network', 'rm', '--force', network]));
    const run = async (
      name: string,
      image: string,
      flags: readonly string[] = [],
      command: readonly string[] = [],
    ): Promise<void> => {
      cleanups.push(() => podman.attempt(['rm', '--force', '--time', '0', name]));
      await podman.run(hardenedRunArgs(name, network, image, flags, command));
    };
    /** Waits for `check`; on a timeout the error carries the container's last log lines. */
    const waitFor = async (name: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> => {
      try {
        await poll(check, timeoutMs, `${name} to be ready`);
      } catch (error) {
        const logs = await podman.attempt(['logs', '--tail', '40', name]);
        throw new Error(`${(error as Error).message}; its last logs:\n${logs.stdout}${logs.stderr}`);
      }
    };
    // The network's bridge, and so its gateway address for the relays, exists only while
    // a container is attached; this one holds it up before the services start.
    await run(`${id}-holder`, images.api.tag, ['--entrypoint', 'node'], ['-e', 'setInterval(() => {}, 1 << 30)']);
    const gateway = JSON.parse((await podman.run(['network', 'inspect', network])).stdout)[0]?.subnets?.[0]?.gateway as
      | string
      | undefined;
    if (gateway === undefined) throw new Error(`podman network ${network} has no gateway`);

    const backends = await startDistributedBackends();
    cleanups.push(() => backends.cleanup());
    const relays: TcpRelay[] = [];
    const relay = async (url: string): Promise<string> => {
      const target = new URL(url);
      const started = await startTcpRelay(gateway, Number(target.port));
      relays.push(started);
      // The gateway's address rather than host.containers.internal: the S3 test server
      // reads a bucket name from any Host header that is a domain name (CNAME-style).
      target.hostname = gateway;
      target.port = String(started.port);
      return target.toString().replace(/\/$/, '');
    };
    cleanups.push(() => Promise.all(relays.map((started) => started.close())));
    const env: Record<string, string> = {
      ...backends.env,
      DATABASE_URL: await relay(backends.env.DATABASE_URL ?? ''),
      AMQP_URL: await relay(backends.env.AMQP_URL ?? ''),
      S3_ENDPOINT: await relay(backends.env.S3_ENDPOINT ?? ''),
      LOG_LEVEL: 'info',
      RATE_LIMIT_WRITES_PER_MINUTE: '10000',
      TRUST_PROXY: 'true',
      WORKER_CONCURRENCY: '2',
    };
    const envFlags = Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
    const readyz = (name: string, port: number) => () => execHttpOk(podman, name, `http://127.0.0.1:${port}/readyz`);

    await run(names.api, images.api.tag, [...envFlags, '--network-alias', 'api']);
    await waitFor(names.api, readyz(names.api, 8080), 90_000);
    for (const worker of names.workers) await run(worker, images.worker.tag, envFlags);
    for (const worker of names.workers) await waitFor(worker, readyz(worker, 8081), 90_000);
    await run(names.web, images.web.tag, ['--publish', `127.0.0.1:${webPort}:8080`]);
    const webUrl = `http://127.0.0.1:${webPort}`;
    const webAnswers = async (): Promise<boolean> =>
      (await fetch(`${webUrl}/api/templates`).catch(() => undefined))?.ok === true;
    await waitFor(names.web, webAnswers, 30_000);
    return { webUrl, names, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

/** An HTTP GET from inside a container, with the container's own Node.js. */
export const execHttpOk = async (podman: Podman, container: string, url: string): Promise<boolean> => {
  const script = `fetch(${JSON.stringify(url)}).then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  return (await podman.attempt(['exec', container, 'node', '-e', script])).code === 0;
};

const poll = async (check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};
