import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A RabbitMQ node of its own (own node name, AMQP and distribution ports, data and log
 * directories, Erlang cookie), so a chaos experiment can restart or cut the broker
 * without touching the machine's shared one. Debian's wrapper scripts run the server and
 * rabbitmqctl as the `rabbitmq` user when called as root, so its directories belong to it.
 */
export interface PrivateRabbitMq {
  readonly url: string;
  readonly nodeName: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** The broker closes every client connection, as in a network partition or an operator's reset. */
  closeAllConnections(reason: string): Promise<void>;
  destroy(): Promise<void>;
}

const START_TIMEOUT_MS = 90_000;

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const rabbitmqUser = async (): Promise<{ uid: number; gid: number } | undefined> => {
  try {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      run('id', ['-u', 'rabbitmq']),
      run('id', ['-g', 'rabbitmq']),
    ]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  } catch {
    return undefined;
  }
};

export const createPrivateRabbitMq = async (amqpPort: number, distPort: number): Promise<PrivateRabbitMq> => {
  const base = await mkdtemp(join(tmpdir(), 'memelab-chaos-rabbit-'));
  const nodeName = `memelab-chaos-${amqpPort}@localhost`;
  const owner = userInfo().uid === 0 ? await rabbitmqUser() : undefined;
  await writeFile(join(base, 'enabled_plugins'), '[].\n');
  await writeFile(
    join(base, 'rabbitmq.conf'),
    [
      `listeners.tcp.local = 127.0.0.1:${amqpPort}`,
      'loopback_users = none',
      'log.console = false',
      'log.file.level = warning',
    ].join('\n'),
  );
  if (owner !== undefined) {
    for (const path of [base, join(base, 'enabled_plugins'), join(base, 'rabbitmq.conf')]) {
      await chown(path, owner.uid, owner.gid);
    }
  }
  const env = {
    ...process.env,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_PORT: String(amqpPort),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(base, 'mnesia'),
    RABBITMQ_LOG_BASE: join(base, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(base, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: join(base, 'rabbitmq'),
    RABBITMQ_PID_FILE: join(base, 'rabbit.pid'),
  };
  const ctl = (args: readonly string[]) => run('rabbitmqctl', ['-n', nodeName, ...args], { env, timeout: 60_000 });
  let server: ChildProcess | undefined;

  const start = async () => {
    server = spawn('rabbitmq-server', [], { env, stdio: 'ignore' });
    const started = Date.now();
    while (Date.now() - started < START_TIMEOUT_MS) {
      if (server.exitCode !== null)
        throw new Error(`rabbitmq-server exited with ${server.exitCode}; logs in ${base}/log`);
      if (await portOpen(amqpPort)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`RabbitMQ node ${nodeName} did not open port ${amqpPort} within ${START_TIMEOUT_MS} ms`);
  };
  const stop = async () => {
    const exited = new Promise<void>((resolve) => {
      if (server === undefined || server.exitCode !== null) resolve();
      else server.once('exit', () => resolve());
    });
    await ctl(['stop']).catch(() => server?.kill('SIGTERM'));
    await exited;
  };
  await start();
  return {
    url: `amqp://guest:guest@127.0.0.1:${amqpPort}`,
    nodeName,
    start,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    closeAllConnections: async (reason) => {
      await ctl(['close_all_connections', reason]);
    },
    destroy: async () => {
      await stop().catch(() => server?.kill('SIGKILL'));
      await rm(base, { recursive: true, force: true });
    },
  };
};
