/**
 * Pipeline benchmark: starts the stack locally, submits N distinct memes, waits for all of
 * them, and prints one JSON line.
 *
 *   npm run bench:pipeline -- [--mode embedded|distributed] [--memes N] [--warmup W] [--concurrency C | --rate R]
 *                             [--workers W] [--worker-concurrency P] [--worker-nice N] [--cpu-prof DIR]
 *                             [--runtime bundle|source] [--node-arg FLAG ...]
 *                             [--worker-node-arg FLAG ...] [--store nginx|s3rver]
 *
 * The api and the workers run from the server bundle under plain node, as the container
 * images run them (built from this checkout first); `--runtime source` runs the TypeScript
 * under tsx instead.
 *
 * CPU per meme is reported by process (`cpuMsPerMemeByProcess`, from /proc/<pid>/stat over
 * the measured run): the api, each worker, RabbitMQ (its beam.smp), the PostgreSQL backends
 * of the run's database, the S3 stand-in and this load generator. `stackCpuMsPerMeme` is
 * api + workers + RabbitMQ + PostgreSQL, what a cluster pays per meme; the S3 stand-in and
 * the load generator would run elsewhere there. The broker and the database server are the
 * machine's shared ones, so their figures include whatever else uses them meanwhile: read
 * them beside `loadAverage`. `renderFloorMs` is what drawing and encoding one meme costs
 * alone (bench/render-floor.ts, in a process of its own after the run), and
 * `stackCpuPerRenderFloor` the stack's cost against it, which compares runs of different hours.
 *
 * Load: C clients that each send their next meme once their last one is rendered (closed
 * loop, the default: the most the stack renders, and accept latency while it does), or R
 * memes per second on a fixed schedule (open loop: accept latency and throughput at a given
 * offered load).
 *
 * distributed: `memelab api` plus W `memelab worker` processes against the machine's
 * RabbitMQ and PostgreSQL (a throwaway database) and an object store standing in for
 * MinIO, keeping its files in memory where the machine has /dev/shm: nginx taking the
 * uploads as WebDAV PUTs (`--store nginx`, the default; see nginx-object-store.ts) or
 * s3rver, a full S3 implementation in JavaScript (`--store s3rver`). embedded: one
 * `memelab start` process with its defaults.
 * Completion is observed on the live feed (`/api/events`); any meme not seen there is
 * checked by id at the end, and `lost` counts those never done.
 */

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  type DistributedBackends,
  type MemelabProcess,
  makeTempDir,
  removeDir,
  startDistributedBackends,
  startMemelab,
} from '../apps/cli/src/testing/process-stack.ts';
import { startNginxObjectStore } from './nginx-object-store.ts';
import { CpuMeter, postgresBackendPids, processWithChildren, rabbitMqPids } from './process-cpu.ts';
import { measureRenderFloorMsInChild } from './render-floor.ts';
import { buildServerBundle } from './server-bundle.ts';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'distributed' },
    memes: { type: 'string', default: '2000' },
    /** Memes sent (and rendered) before measuring starts, so the JIT and the pools are warm. */
    warmup: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '32' },
    /** Open loop: submit at this many memes per second instead of as fast as C clients can. */
    rate: { type: 'string' },
    workers: { type: 'string', default: '2' },
    'worker-concurrency': { type: 'string', default: '16' },
    /** Nice value of the worker processes (0: normal priority, as Compose and Kubernetes run them). */
    'worker-nice': { type: 'string', default: '0' },
    template: { type: 'string', default: 'rack-of-doom' },
    timeout: { type: 'string', default: '300' },
    /** Write V8 CPU profiles of the api and worker processes into this directory. */
    'cpu-prof': { type: 'string' },
    /** `bundle`: the server bundle under plain node, as the images run it; `source`: the TypeScript under tsx. */
    runtime: { type: 'string', default: 'bundle' },
    /** Extra node flags for the api and worker processes (repeatable), such as V8 garbage-collector flags. */
    'node-arg': { type: 'string', multiple: true, default: [] },
    /** Extra node flags for the worker processes only (repeatable). */
    'worker-node-arg': { type: 'string', multiple: true, default: [] },
    /** The object store's stand-in: `nginx` (WebDAV PUT, light) or `s3rver` (full S3, in JavaScript). */
    store: { type: 'string', default: 'nginx' },
  },
});

const mode = values.mode;
const memes = Number(values.memes);
const concurrency = Number(values.concurrency);
const rate = values.rate === undefined ? undefined : Number(values.rate);
if (rate !== undefined && !(rate > 0)) throw new Error('--rate takes a positive number of memes per second');
const warmupMemes = Number(values.warmup);
if (!Number.isInteger(warmupMemes) || warmupMemes < 0) throw new Error('--warmup takes a whole number of memes');
const workerCount = Number(values.workers);
const niceness = Number(values['worker-nice']);
if (!Number.isInteger(niceness) || niceness < 0 || niceness > 19) throw new Error('--worker-nice takes 0 to 19');
if (mode !== 'embedded' && mode !== 'distributed') throw new Error('--mode is embedded or distributed');
const store = values.store;
if (store !== 'nginx' && store !== 's3rver') throw new Error('--store is nginx or s3rver');
const runtime = values.runtime;
if (runtime !== 'bundle' && runtime !== 'source') throw new Error('--runtime is bundle or source');
if (![memes, concurrency, workerCount].every((value) => Number.isInteger(value) && value > 0)) {
  throw new Error('--memes, --concurrency and --workers take positive whole numbers');
}
const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
const round = (value: number): number => Math.round(value * 10) / 10;
/** How long a closed-loop client trusts the live feed before it asks for its meme directly. */
const FEED_GRACE_MS = 10_000;

/**
 * CPU time the whole machine has spent busy (every core, every process: the stack, the
 * broker, the database, the S3 stand-in and this load generator), from /proc/stat. Per
 * meme it is a steadier measure of cost than throughput on a machine with noisy neighbours.
 */
const machineBusyMs = async (): Promise<number | undefined> => {
  try {
    const cpu = (await readFile('/proc/stat', 'utf8')).split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
    const busy = cpu.reduce((sum, value, index) => (index === 3 || index === 4 || index > 7 ? sum : sum + value), 0);
    return (busy * 1000) / 100;
  } catch {
    return undefined;
  }
};

/**
 * A lean keep-alive HTTP client for the load: the load generator shares the machine's two
 * cores with the stack it measures, so it should cost as little CPU as it can.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const postJson = (url: string, body: unknown): Promise<{ status: number; body: { id?: string } }> =>
  new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { id?: string } }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });

const processes: MemelabProcess[] = [];
let backends: DistributedBackends | undefined;
let dataDir: string | undefined;
const benchSettings = {
  LOG_LEVEL: 'warn',
  RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
  SWEEPER_STALE_AFTER_MS: '30000',
};
const nodeArgs = [
  ...(values['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`]),
  ...values['node-arg'],
];
const workerNodeArgs = [...nodeArgs, ...values['worker-node-arg']];

/**
 * The server bundle the images run, built from this checkout into a temporary directory
 * with this checkout's node_modules beside it (the bundle keeps third-party packages
 * external). Under tsx a process also holds the loader and every module's transformed
 * source: a larger heap, which makes each full garbage collection dearer.
 */
let bundleDir: string | undefined;
const serverScript = async (): Promise<string | undefined> => {
  if (runtime === 'source') return undefined;
  log('building the server bundle (--runtime source runs the TypeScript under tsx instead)');
  bundleDir = await makeTempDir();
  return buildServerBundle(bundleDir);
};

const startStack = async (): Promise<string> => {
  const script = await serverScript();
  const workerSettings = { WORKER_CONCURRENCY: String(values['worker-concurrency']) };
  if (mode === 'embedded') {
    dataDir = await makeTempDir();
    const server = await startMemelab(
      'start',
      { DATA_DIR: dataDir, ...benchSettings, ...workerSettings },
      { nodeArgs, ...(script === undefined ? {} : { script }) },
    );
    processes.push(server);
    return `http://127.0.0.1:${server.port}`;
  }
  // The object store's stand-in is part of the measured machine's load, but it must not
  // share the load generator's event loop (its timings would wait behind it), and it keeps
  // its files in memory as MinIO would keep its hot set in the page cache.
  backends = await startDistributedBackends({
    separateProcess: true,
    ...(existsSync('/dev/shm') ? { parentDirectory: '/dev/shm' } : {}),
    ...(store === 'nginx' ? { startObjectStore: startNginxObjectStore } : {}),
  });
  const api = await startMemelab(
    'api',
    { ...backends.env, ...benchSettings },
    { nodeArgs, ...(script === undefined ? {} : { script }) },
  );
  processes.push(api);
  for (let index = 0; index < workerCount; index++) {
    processes.push(
      await startMemelab(
        'worker',
        { ...backends.env, ...benchSettings, ...workerSettings },
        { nodeArgs: workerNodeArgs, niceness, ...(script === undefined ? {} : { script }) },
      ),
    );
  }
  return `http://127.0.0.1:${api.port}`;
};

/** Process groups whose CPU the run reports, once the stack is up (distributed mode; embedded is one process). */
const cpuMeter = (): CpuMeter | undefined => {
  const [first, ...workers] = processes;
  if (first === undefined) return undefined;
  const pid = (memelab: MemelabProcess): (() => Promise<number[]>) => {
    return async () => (memelab.child.pid === undefined ? [] : [memelab.child.pid]);
  };
  if (mode === 'embedded') return new CpuMeter({ memelab: pid(first), loadGenerator: async () => [process.pid] });
  const database = new URL(backends?.env.DATABASE_URL ?? 'postgres://x/none').pathname.slice(1);
  const s3Pid = backends?.s3Pid;
  return new CpuMeter({
    api: pid(first),
    ...Object.fromEntries(workers.map((worker, index) => [`worker${index + 1}`, pid(worker)])),
    rabbitmq: rabbitMqPids,
    postgres: () => postgresBackendPids(database),
    // nginx does its work in a worker process under its master.
    s3: async () => (s3Pid === undefined ? [] : processWithChildren(s3Pid)),
    loadGenerator: async () => [process.pid],
  });
};

/**
 * Read and write system calls of each memelab process (`syscr`, `syscw` of /proc/<pid>/io):
 * on a virtual machine each one costs far more than the JavaScript around it, and unlike
 * CPU time the count hardly moves with the machine's other load.
 */
const syscallCounts = async (): Promise<Record<string, { reads: number; writes: number }>> => {
  const names =
    mode === 'embedded' ? ['memelab'] : ['api', ...processes.slice(1).map((_, index) => `worker${index + 1}`)];
  const counts: Record<string, { reads: number; writes: number }> = {};
  for (const [index, memelab] of processes.entries()) {
    try {
      const io = await readFile(`/proc/${memelab.child.pid}/io`, 'utf8');
      const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? Number.NaN);
      counts[names[index] ?? `process${index}`] = { reads: field('syscr'), writes: field('syscw') };
    } catch {
      // not Linux
    }
  }
  return counts;
};

/** Transactions committed in the run's database so far (each autocommitted statement is one). */
const databaseCommits = async (): Promise<number | undefined> => {
  const url = backends?.env.DATABASE_URL;
  if (url === undefined) return undefined;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const result = await client.query<{ commits: string }>(
      'SELECT xact_commit AS commits FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(result.rows[0]?.commits);
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
};

/** Listens on the live feed and records when each meme was announced. */
const watchFeed = async (
  baseUrl: string,
  doneAt: Map<string, number>,
  onDone: (id: string) => void,
  signal: AbortSignal,
): Promise<void> => {
  const response = await fetch(`${baseUrl}/api/events`, { signal });
  if (response.body === null) throw new Error('the live feed has no body');
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          const id = /^id: (.*)$/m.exec(buffer.slice(0, boundary))?.[1];
          if (id !== undefined && !doneAt.has(id)) {
            doneAt.set(id, performance.now());
            onDone(id);
          }
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted at the end of the run
    }
  })();
};

/**
 * Warnings and errors the stack logged during the run (its processes log JSON at `warn`):
 * a retried render or an aborted statement costs time without losing a meme, so it would
 * show only as a longer tail. The first few are printed to stderr.
 */
const serverWarnings = (): number => {
  const lines = processes.flatMap((memelab) =>
    memelab
      .output()
      .split('\n')
      .filter((line) => /"level":"(warn|error|fatal)"/.test(line)),
  );
  for (const line of lines.slice(0, 5)) log(`server warning: ${line.slice(0, 500)}`);
  return lines.length;
};

const main = async (): Promise<void> => {
  log(`starting the ${mode} stack...`);
  const baseUrl = await startStack();
  const feed = new AbortController();
  const doneAt = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  await watchFeed(baseUrl, doneAt, (id) => waiters.get(id)?.(), feed.signal);
  /** Resolves once the feed shows the meme; a long poll covers an event the feed missed. */
  const rendered = async (id: string): Promise<void> => {
    if (doneAt.has(id)) return;
    const seen = new Promise<void>((resolve) => waiters.set(id, resolve));
    let timer: NodeJS.Timeout | undefined;
    const missed = new Promise<'missed'>((resolve) => {
      timer = setTimeout(() => resolve('missed'), FEED_GRACE_MS);
    });
    try {
      if ((await Promise.race([seen, missed])) === 'missed') {
        await fetch(`${baseUrl}/api/memes/${id}?wait=30`).then((response) => response.arrayBuffer());
      }
    } finally {
      clearTimeout(timer);
      waiters.delete(id);
    }
  };

  const runId = Date.now().toString(36);
  /**
   * Closed loop: C clients, each sending its next meme once its last one is rendered, as a
   * client that shows its user the result does. (Waiting only for the 202 would measure how
   * fast a queue fills: accept latency would be C over the accept rate, and the backlog
   * would grow without bound.) `send` returns the accepted meme's id.
   */
  const closedLoop = async (count: number, send: (index: number) => Promise<string | undefined>): Promise<void> => {
    let issued = 0;
    const client = async (): Promise<void> => {
      while (issued < count) {
        const id = await send(issued++);
        if (id !== undefined) await rendered(id);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
  };
  // A freshly started process runs its code unoptimised for its first few hundred requests,
  // and its connection pools are cold; that start-up is not the steady state measured here.
  if (warmupMemes > 0) {
    log(`warming up with ${warmupMemes} memes...`);
    await closedLoop(
      warmupMemes,
      async (index) =>
        (
          await postJson(`${baseUrl}/api/memes`, {
            template: values.template,
            captions: [`warm-up ${runId}`, `meme number ${index}`],
          })
        ).body.id,
    );
  }

  const submittedAt = new Map<string, number>();
  const acceptMs: number[] = [];
  let failures = 0;
  const meter = cpuMeter();
  await meter?.start();
  const syscallsAtStart = await syscallCounts();
  const commitsAtStart = await databaseCommits();
  const loadAtStart = loadavg()[0] ?? 0;
  const started = performance.now();
  const busyAtStart = await machineBusyMs();
  const submitOne = async (index: number): Promise<string | undefined> => {
    const sent = performance.now();
    const response = await postJson(`${baseUrl}/api/memes`, {
      template: values.template,
      captions: [`load test ${runId}`, `meme number ${index}`],
    });
    const body = response.body;
    acceptMs.push(performance.now() - sent);
    if (response.status !== 202 || body.id === undefined) {
      failures++;
      return undefined;
    }
    submittedAt.set(body.id, sent);
    if (submittedAt.size % 200 === 0) log(`accepted ${submittedAt.size}/${memes}, rendered ${doneAt.size}`);
    return body.id;
  };
  if (rate === undefined) {
    log(`submitting ${memes} memes from ${concurrency} clients...`);
    await closedLoop(memes, submitOne);
  } else {
    // Open loop: memes arrive on a fixed schedule, however long the API takes to answer.
    log(`submitting ${memes} memes at ${rate} per second...`);
    const pending: Promise<unknown>[] = [];
    for (let index = 0; index < memes; index++) {
      const wait = started + (index * 1000) / rate - performance.now();
      if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
      pending.push(submitOne(index));
    }
    await Promise.all(pending);
  }

  const deadline = performance.now() + Number(values.timeout) * 1000;
  while ([...submittedAt.keys()].some((id) => !doneAt.has(id)) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const finished = performance.now();
  const busyAtEnd = await machineBusyMs();
  const spentByProcess = await meter?.stop();
  const syscallsAtEnd = await syscallCounts();
  // The statistics collector reports a backend's commits at most once a second.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const commitsAtEnd = await databaseCommits();
  feed.abort();
  agent.destroy();

  // Anything the feed did not show is checked directly before it is called lost.
  let lost = failures;
  for (const id of submittedAt.keys()) {
    if (doneAt.has(id)) continue;
    const status = ((await (await fetch(`${baseUrl}/api/memes/${id}`)).json()) as { status: string }).status;
    if (status !== 'done') lost++;
  }
  const endToEnd = [...submittedAt]
    .filter(([id]) => doneAt.has(id))
    .map(([id, sent]) => (doneAt.get(id) ?? sent) - sent);
  acceptMs.sort((a, b) => a - b);
  endToEnd.sort((a, b) => a - b);
  const lastDone = Math.max(...doneAt.values(), started);
  const renderedCount = Math.max(1, memes - lost);
  const perMeme = (ms: number): number => Math.round((ms / renderedCount) * 100) / 100;
  const byProcess =
    spentByProcess === undefined
      ? undefined
      : Object.fromEntries(Object.entries(spentByProcess).map(([name, ms]) => [name, perMeme(ms)]));
  const stackCpuMsPerMeme =
    byProcess === undefined
      ? undefined
      : perMeme(
          Object.entries(spentByProcess ?? {})
            .filter(
              ([name]) => name === 'api' || name.startsWith('worker') || name === 'rabbitmq' || name === 'postgres',
            )
            .reduce((sum, [, ms]) => sum + ms, 0),
        );
  // After the measured run, with the stack idle: the floor that its cost is read against.
  log('measuring the render floor (drawing and encoding alone, in a process of its own)...');
  const renderFloorMs = await measureRenderFloorMsInChild(values.template);
  process.stdout.write(
    `${JSON.stringify({
      mode,
      runtime,
      ...(mode === 'distributed' ? { objectStore: store } : {}),
      memes,
      memesPerSec: round((memes - lost) / ((Math.min(lastDone, finished) - started) / 1000)),
      p50AcceptMs: round(percentile(acceptMs, 50)),
      p99AcceptMs: round(percentile(acceptMs, 99)),
      p99EndToEndMs: round(percentile(endToEnd, 99)),
      lost,
      serverWarnings: serverWarnings(),
      ...(stackCpuMsPerMeme === undefined ? {} : { stackCpuMsPerMeme }),
      renderFloorMs,
      ...(stackCpuMsPerMeme === undefined
        ? {}
        : { stackCpuPerRenderFloor: Math.round((stackCpuMsPerMeme / renderFloorMs) * 100) / 100 }),
      ...(byProcess === undefined ? {} : { cpuMsPerMemeByProcess: byProcess }),
      syscallsPerMemeByProcess: Object.fromEntries(
        Object.entries(syscallsAtEnd).map(([name, { reads, writes }]) => [
          name,
          {
            reads: Math.round(((reads - (syscallsAtStart[name]?.reads ?? 0)) * 100) / renderedCount) / 100,
            writes: Math.round(((writes - (syscallsAtStart[name]?.writes ?? 0)) * 100) / renderedCount) / 100,
          },
        ]),
      ),
      // Includes this benchmark's own two lookups, and the API's sweeper passes.
      ...(commitsAtStart === undefined || commitsAtEnd === undefined
        ? {}
        : { postgresCommitsPerMeme: Math.round(((commitsAtEnd - commitsAtStart) * 100) / renderedCount) / 100 }),
      ...(busyAtStart === undefined || busyAtEnd === undefined
        ? {}
        : { machineCpuMsPerMeme: round((busyAtEnd - busyAtStart) / renderedCount) }),
      loadAverage: [round(loadAtStart), round(loadavg()[0] ?? 0)],
      warmup: warmupMemes,
      ...(mode === 'distributed' ? { workers: workerCount, workerNice: niceness } : {}),
      ...(rate === undefined ? { concurrency } : { rate }),
    })}\n`,
  );
};

try {
  await main();
} finally {
  await Promise.all(
    processes.map(async (memelab) => {
      memelab.child.kill('SIGTERM');
      await memelab.exited;
    }),
  );
  await backends?.cleanup();
  if (dataDir !== undefined) await removeDir(dataDir);
  if (bundleDir !== undefined) await removeDir(bundleDir);
}
