/**
 * The pipeline in distributed mode, as separate processes: `memelab api` and
 * `memelab worker` against the machine's PostgreSQL and RabbitMQ and an S3-compatible
 * server (s3rver standing in for MinIO, which cannot be installed on the test machines).
 * Then chaos: a worker killed mid-batch, broker connections dropped under load.
 */
import { hostname } from 'node:os';
import { openDatabase } from '@memelab/adapters';
import { S3ObjectStore } from '@memelab/adapters/s3';
import { memeIdOf, parseMemeSpec } from '@memelab/core';
import { MemeRepository } from '@memelab/pipeline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrokerConnectionsOf,
  type DistributedBackends,
  type MemelabProcess,
  memeClient,
  renderQueueDepth,
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
    // The supported Node.js starts both roles silent: no AWS SDK NodeVersionSupportWarning.
    expect(api.output()).not.toMatch(/NodeVersionSupportWarning/);
    expect(workers.map((worker) => worker.output()).join('')).not.toMatch(/NodeVersionSupportWarning/);
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

/**
 * Outage tests. The outages last MEMELAB_OUTAGE_TEST_MS (60 s by default) while the workers
 * run with a compressed retry schedule: five attempts, 200 ms to 1 s apart, would be spent in
 * seconds, so a meme survives the outage only by the worker pausing and the time budget.
 */
const OUTAGE_MS = Number(process.env.MEMELAB_OUTAGE_TEST_MS ?? 60_000);
const MAX_ATTEMPTS = 5;
const compressedRetries = {
  WORKER_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  WORKER_RETRY_BASE_MS: '200',
  WORKER_RETRY_MAX_MS: '1000',
  WORKER_RETRY_BUDGET_MS: String(OUTAGE_MS * 3),
  WORKER_DEPENDENCY_CHECK_MS: '500',
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Samples the render queue's depth every half second until stopped; resolves to the largest seen. */
const watchDepth = (prefix: string): { stop(): Promise<number> } => {
  let largest = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      largest = Math.max(largest, await renderQueueDepth(prefix));
      await sleep(500);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return largest;
    },
  };
};

describe('distributed mode through outages', () => {
  let outage: DistributedBackends;
  let outageApi: MemelabProcess;
  const outageWorkers: MemelabProcess[] = [];

  beforeAll(async () => {
    outage = await startDistributedBackends({ proxyS3: true });
    outageApi = await startMemelab('api', {
      ...outage.env,
      SWEEPER_INTERVAL_MS: '1000',
      SWEEPER_STALE_AFTER_MS: '3000',
      RATE_LIMIT_WRITES_PER_MINUTE: '100000',
    });
  });

  afterEach(async () => {
    await Promise.all(outageWorkers.splice(0).map(stopProcess));
  });

  afterAll(async () => {
    if (outageApi !== undefined) await stopProcess(outageApi);
    await outage?.cleanup();
  });

  const startOutageWorker = async (extra: Record<string, string> = {}): Promise<MemelabProcess> => {
    const worker = await startMemelab('worker', {
      ...outage.env,
      WORKER_CONCURRENCY: '4',
      ...compressedRetries,
      ...extra,
    });
    outageWorkers.push(worker);
    return worker;
  };

  it(`renders every meme accepted before and during a ${OUTAGE_MS / 1000} s object store outage, within the attempt cap`, async () => {
    const proxy = outage.s3Proxy;
    if (proxy === undefined) throw new Error('the outage backends run S3 behind a proxy');
    const workers = [await startOutageWorker(), await startOutageWorker()];
    const client = memeClient(`http://127.0.0.1:${outageApi.port}`);
    const depth = watchDepth(outage.prefix);
    const before = await submitAll(client, batch('s3-outage before', 60));
    while ((await client.waitAllDone(before.slice(0, 10), 0)).done < 10) await sleep(50);

    await proxy.stop();
    // The API keeps its promise and says so: a meme is accepted, and it stays ready.
    const during = await submitAll(client, batch('s3-outage during', 40));
    const apiReady = await fetch(`http://127.0.0.1:${outageApi.port}/readyz`);
    expect(apiReady.status).toBe(200);
    expect(((await apiReady.json()) as { checks: { objects: { ok: boolean } } }).checks.objects.ok).toBe(false);
    await sleep(OUTAGE_MS / 2);
    // Workers report what they do: not ready, and not taking jobs.
    for (const worker of workers) expect((await fetch(`http://127.0.0.1:${worker.port}/readyz`)).status).toBe(503);
    await sleep(OUTAGE_MS / 2);
    await proxy.start();

    const ids = [...before, ...during];
    const { done, pending } = await client.waitAllDone(ids, 120_000);
    const largestDepth = await depth.stop();
    expect(pending, outageApi.output()).toEqual([]);
    expect(done).toBe(100);
    const attempts = await Promise.all(ids.map((id) => client.attempts(id)));
    expect(Math.max(...attempts)).toBeLessThanOrEqual(MAX_ATTEMPTS);
    expect(largestDepth).toBeLessThanOrEqual(ids.length);
    expect(workers.map((worker) => worker.output()).join('\n')).toMatch(/paused taking render jobs/);
  });

  it(`keeps each accepted meme queued once while no worker runs for ${OUTAGE_MS / 1000} s`, async () => {
    const client = memeClient(`http://127.0.0.1:${outageApi.port}`);
    const depth = watchDepth(outage.prefix);
    const ids = await submitAll(client, batch('no-worker', 100));
    // Ten times the sweeper's staleness: a sweeper that republished queued memes would have doubled them.
    await sleep(OUTAGE_MS);
    expect(await renderQueueDepth(outage.prefix)).toBe(ids.length);

    await startOutageWorker();
    const { done, pending } = await client.waitAllDone(ids, 120_000);
    expect(pending).toEqual([]);
    expect(done).toBe(100);
    expect(await depth.stop()).toBe(ids.length);
    const attempts = await Promise.all(ids.map((id) => client.attempts(id)));
    expect(attempts.every((count) => count === 1)).toBe(true);
    expect(await renderQueueDepth(outage.prefix)).toBe(0);
  });

  it('publishes at once, when the API starts again, the memes it had stored but not yet published when it died', async () => {
    const db = await openDatabase({ databaseUrl: outage.env.DATABASE_URL });
    try {
      // What the API leaves behind when it dies between storing a meme and publishing its job:
      // rows freshly claimed for publishing by this API, never confirmed as published.
      const memes = new MemeRepository(db);
      const ids: string[] = [];
      for (let index = 0; index < 20; index++) {
        const spec = parseMemeSpec({
          template: 'rack-of-doom',
          captions: ['died before publishing', `#${index} ${Date.now()}`],
        });
        const id = memeIdOf(spec);
        await memes.insertIfAbsent({ id, spec, correlationId: undefined, claimedBy: `api@${hostname()}` });
        ids.push(id);
      }
      outageApi.child.kill('SIGKILL');
      await outageApi.exited;
      await startOutageWorker();
      // The sweeper's staleness is long: only the start-up takeover can publish them in time.
      outageApi = await startMemelab('api', {
        ...outage.env,
        SWEEPER_INTERVAL_MS: '600000',
        SWEEPER_STALE_AFTER_MS: '600000',
        RATE_LIMIT_WRITES_PER_MINUTE: '100000',
      });
      const client = memeClient(`http://127.0.0.1:${outageApi.port}`);
      const { pending } = await client.waitAllDone(ids, 20_000);
      expect(pending).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('leaves no object behind for a meme that fails after its image was stored', async () => {
    const db = await openDatabase({ databaseUrl: outage.env.DATABASE_URL });
    const store = new S3ObjectStore({
      endpoint: outage.env.S3_ENDPOINT,
      region: outage.env.S3_REGION ?? 'us-east-1',
      bucket: outage.env.S3_BUCKET ?? 'memes',
      accessKeyId: outage.env.S3_ACCESS_KEY_ID,
      secretAccessKey: outage.env.S3_SECRET_ACCESS_KEY,
    });
    try {
      // The database refuses to record these memes done, after the worker stored their images.
      await db.query(`CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.status = 'done' AND NEW.spec::text LIKE '%doomed%' THEN
            RAISE EXCEPTION 'the database refuses this meme';
          END IF;
          RETURN NEW;
        END $$`);
      await db.query(
        'CREATE TRIGGER refuse_doomed BEFORE UPDATE ON memes FOR EACH ROW EXECUTE FUNCTION refuse_doomed()',
      );
      const worker = await startOutageWorker({ WORKER_MAX_ATTEMPTS: '2' });
      const client = memeClient(`http://127.0.0.1:${outageApi.port}`);
      const { id } = await client.create(['doomed', `meme ${Date.now()}`]);
      const started = Date.now();
      while ((await client.status(id)) === 'queued' && Date.now() - started < 30_000) await sleep(200);
      expect(await client.status(id)).toBe('failed');
      expect(worker.output()).toMatch(/the database refuses this meme/);
      expect(await store.head(`memes/${id.slice(0, 2)}/${id}.jpg`)).toBeUndefined();
    } finally {
      await db.query('DROP TRIGGER IF EXISTS refuse_doomed ON memes').catch(() => undefined);
      await store.close();
      await db.close();
    }
  });
});
