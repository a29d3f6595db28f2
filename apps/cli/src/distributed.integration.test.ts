/**
 * The pipeline in distributed mode, as separate processes: `memelab api` and
 * `memelab worker` against the machine's PostgreSQL and RabbitMQ and an S3-compatible
 * server (s3rver standing in for MinIO, which cannot be installed on the test machines).
 * Then chaos: a worker killed mid-batch, broker connections dropped under load.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrokerConnectionsOf,
  type DistributedBackends,
  type MemelabProcess,
  memeClient,
  startDistributedBackends,
  startMemelab,
} from './testing/process-stack.ts';

let backends: DistributedBackends;
let api: MemelabProcess;
const workers: MemelabProcess[] = [];

const startWorker = async (): Promise<MemelabProcess> => {
  const worker = await startMemelab('worker', {
    ...backends.env,
    WORKER_CONCURRENCY: '4',
    WORKER_RETRY_BASE_MS: '200',
  });
  workers.push(worker);
  return worker;
};

const stopProcess = async (memelab: MemelabProcess): Promise<void> => {
  if (memelab.child.exitCode === null && memelab.child.signalCode === null) memelab.child.kill('SIGTERM');
  await memelab.exited;
};

beforeAll(async () => {
  backends = await startDistributedBackends();
  api = await startMemelab('api', {
    ...backends.env,
    SWEEPER_INTERVAL_MS: '1000',
    SWEEPER_STALE_AFTER_MS: '3000',
    RATE_LIMIT_WRITES_PER_MINUTE: '100000',
  });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map(stopProcess));
});

afterAll(async () => {
  if (api !== undefined) await stopProcess(api);
  await backends?.cleanup();
});

const batch = (label: string, count: number): string[][] =>
  Array.from({ length: count }, (_, index) => [`${label} ${index}`, `run ${Date.now()}`]);

const submitAll = async (client: ReturnType<typeof memeClient>, captions: string[][]): Promise<string[]> => {
  const ids: string[] = [];
  // Ten at a time: a steady stream rather than one burst.
  for (let start = 0; start < captions.length; start += 10) {
    const created = await Promise.all(captions.slice(start, start + 10).map((lines) => client.create(lines)));
    for (const { id, status } of created) {
      expect(status).toBe(202);
      ids.push(id);
    }
  }
  return ids;
};

describe('distributed mode', () => {
  it('renders memes end to end through RabbitMQ, PostgreSQL and S3', async () => {
    await startWorker();
    const client = memeClient(`http://127.0.0.1:${api.port}`);
    const ids = await submitAll(client, batch('e2e', 20));
    const { done, pending } = await client.waitAllDone(ids, 60_000);
    expect(pending, api.output()).toEqual([]);
    expect(done).toBe(20);
    const image = await fetch(`http://127.0.0.1:${api.port}/m/${ids[0]}.jpg`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    const memegen = await fetch(`http://127.0.0.1:${api.port}/images/pager-panic/distributed/works.png`);
    expect(memegen.status).toBe(200);
  });

  it('loses no meme when a worker is SIGKILLed mid-batch of 200', async () => {
    const victim = await startWorker();
    const survivor = await startWorker();
    const client = memeClient(`http://127.0.0.1:${api.port}`);
    const ids = await submitAll(client, batch('sigkill', 200));
    // Kill once some, but not all, are done: the victim dies holding unacknowledged jobs.
    const started = Date.now();
    while ((await client.waitAllDone(ids.slice(0, 30), 0)).done < 30 && Date.now() - started < 30_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    const { done, pending } = await client.waitAllDone(ids, 120_000);
    expect(pending).toEqual([]);
    expect(done).toBe(200);
    expect(survivor.child.exitCode).toBeNull();
    // The victim died in the middle of rendering: some meme was started twice.
    const attempts = await Promise.all(ids.map((id) => client.attempts(id)));
    expect(attempts.some((count) => count >= 2)).toBe(true);
  });

  it('recovers with nothing lost when the broker drops every connection under load', async () => {
    const worker = await startWorker();
    const client = memeClient(`http://127.0.0.1:${api.port}`);
    const captions = batch('broker-drop', 200);
    const first = await submitAll(client, captions.slice(0, 100));
    const closed =
      (await closeBrokerConnectionsOf(worker.child.pid ?? -1)) + (await closeBrokerConnectionsOf(api.child.pid ?? -1));
    expect(closed).toBeGreaterThanOrEqual(2);
    // Memes accepted while the API reconnects are still accepted: the sweeper publishes late ones.
    const second = await submitAll(client, captions.slice(100));
    const { done, pending } = await client.waitAllDone([...first, ...second], 120_000);
    expect(pending).toEqual([]);
    expect(done).toBe(200);
    expect((await fetch(`http://127.0.0.1:${worker.port}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${api.port}/readyz`)).status).toBe(200);
  });

  it('drains in-flight jobs on SIGTERM and exits 0', async () => {
    const worker = await startWorker();
    const client = memeClient(`http://127.0.0.1:${api.port}`);
    const ids = await submitAll(client, batch('sigterm', 40));
    while ((await client.waitAllDone(ids.slice(0, 5), 0)).done < 5)
      await new Promise((resolve) => setTimeout(resolve, 50));
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).not.toMatch(/"level":"error"/);
    // Whatever it had not started stays queued for the next worker.
    await startWorker();
    expect((await client.waitAllDone(ids, 60_000)).pending).toEqual([]);
  });

  it('refuses to start a worker without its broker, naming every missing variable', async () => {
    const { DATABASE_URL: _db, AMQP_URL: _amqp, ...rest } = backends.env;
    await expect(startMemelab('worker', { ...rest, DATABASE_URL: '', AMQP_URL: '' })).rejects.toThrow(
      /DATABASE_URL: required[\s\S]*AMQP_URL: required/,
    );
  });
});
