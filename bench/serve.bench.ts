/**
 * Serving benchmark: how fast memelab hands out images that already exist, against nginx
 * serving the same bytes from disk on the same machine in the same run. Prints one JSON line.
 *
 *   npm run bench:serve -- [--mode embedded|distributed] [--duration S] [--connections C]
 *                          [--threads T] [--cpu-prof DIR]
 *
 * It starts memelab with its default settings (log level, rate limits, caches) on a free
 * port with a temporary data directory, creates one meme and waits for it, then loads with
 * wrk, each target after a short warm-up:
 *
 * - `image`: `GET /m/<id>.jpg`;
 * - `memegen`: the same meme's memegen URL, `GET /images/<template>/<top>/<bottom>.jpg`;
 * - `nginx`: nginx (Debian's package) on a loopback port with a temporary config, serving
 *   the same image as a file, with sendfile: the floor of what serving these bytes costs.
 *
 * embedded: one `memelab start` process. distributed: `memelab api` and one `memelab
 * worker` against the machine's PostgreSQL (a throwaway database) and RabbitMQ, and an
 * S3-compatible server (s3rver) in a process of its own. The load generator shares the
 * machine's cores with what it measures, as it does for nginx.
 *
 * Needs `wrk` and `nginx` (apt-get install wrk nginx).
 */

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import {
  type DistributedBackends,
  freePort,
  type MemelabProcess,
  makeTempDir,
  removeDir,
  startDistributedBackends,
  startMemelab,
} from '../apps/cli/src/testing/process-stack.ts';
import { nginxPreamble, nginxTempPaths, runNginx } from './nginx-process.ts';
import { CpuMeter, processWithChildren } from './process-cpu.ts';

const run = promisify(execFile);

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'embedded' },
    /** Seconds of measured load per target (each after a 2-second warm-up). */
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    threads: { type: 'string', default: '2' },
    template: { type: 'string', default: 'rack-of-doom' },
    /** Write V8 CPU profiles of the memelab processes into this directory. */
    'cpu-prof': { type: 'string' },
  },
});

const mode = values.mode;
if (mode !== 'embedded' && mode !== 'distributed') throw new Error('--mode is embedded or distributed');
const duration = Number(values.duration);
const connections = Number(values.connections);
const threads = Number(values.threads);
if (![duration, connections, threads].every((value) => Number.isInteger(value) && value > 0)) {
  throw new Error('--duration, --connections and --threads take positive whole numbers');
}
const WARMUP_SECONDS = 2;
const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

const requireCommand = async (command: string, debianPackage: string): Promise<void> => {
  try {
    await run('sh', ['-c', `command -v ${command}`]);
  } catch {
    throw new Error(`${command} is not installed: apt-get install -y ${debianPackage}`);
  }
};

interface LoadResult {
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses other than 2xx/3xx, plus socket errors and timeouts. */
  readonly errors: number;
  readonly requests: number;
}

interface MeasuredResult extends Omit<LoadResult, 'requests'> {
  /**
   * CPU time the server spent per request (user + system, every thread; for nginx its
   * master and workers), from /proc. Steadier than throughput on a machine shared with
   * other work, which takes cores away but not the cost of a request.
   */
  readonly cpuUsPerRequest: number | null;
}

const MS_PER_UNIT: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

const latencyMs = (output: string, percentile: string): number => {
  const match = new RegExp(`^\\s*${percentile}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
  if (match === null) throw new Error(`wrk printed no ${percentile}% latency:\n${output}`);
  return round(Number(match[1]) * (MS_PER_UNIT[match[2] ?? 'ms'] ?? 1), 2);
};

/** Parses wrk's text report (`--latency`). */
export const parseWrk = (output: string): LoadResult => {
  const reqPerSec = /^Requests\/sec:\s+([\d.]+)/m.exec(output)?.[1];
  if (reqPerSec === undefined) throw new Error(`wrk printed no Requests/sec:\n${output}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket === null ? 0 : socket.slice(1).reduce((sum, value) => sum + Number(value), 0);
  return {
    reqPerSec: round(Number(reqPerSec)),
    p50Ms: latencyMs(output, '50'),
    p99Ms: latencyMs(output, '99'),
    errors: non2xx + socketErrors,
    requests: Number(/(\d+) requests in/.exec(output)?.[1] ?? 0),
  };
};

const wrk = async (url: string, seconds: number): Promise<LoadResult> => {
  const { stdout } = await run(
    'wrk',
    [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '--latency', url],
    { maxBuffer: 1024 * 1024 },
  );
  return parseWrk(stdout);
};

const measure = async (name: string, url: string, serverPids: readonly number[]): Promise<MeasuredResult> => {
  log(`${name}: warming up ${WARMUP_SECONDS}s, then ${duration}s at ${connections} connections...`);
  await wrk(url, WARMUP_SECONDS);
  // The processes and their direct children: nginx serves from workers under its master.
  const meter = new CpuMeter({ server: async () => (await Promise.all(serverPids.map(processWithChildren))).flat() });
  await meter.start();
  const { requests, ...result } = await wrk(url, duration);
  const { server: spentMs = 0 } = await meter.stop();
  const cpuUsPerRequest = !existsSync('/proc/self/stat') || requests === 0 ? null : round((spentMs * 1000) / requests);
  const measured = { ...result, cpuUsPerRequest };
  log(`${name}: ${JSON.stringify(measured)}`);
  return measured;
};

/** nginx on a loopback port serving `file` from `root`, as a distribution's nginx would: sendfile, etag. */
const startNginx = async (
  root: string,
  fileName: string,
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> => {
  const port = await freePort();
  const prefix = path.dirname(root);
  const url = `http://127.0.0.1:${port}/${fileName}`;
  const nginx = await runNginx(
    prefix,
    `${nginxPreamble(prefix, 'auto')}
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  ${nginxTempPaths(prefix)}
  types { image/jpeg jpg jpeg; image/png png; image/webp webp; }
  server {
    listen 127.0.0.1:${port};
    root ${root};
    add_header Cache-Control "public, max-age=31536000, immutable";
  }
}
`,
    url,
  );
  return { url, pid: nginx.pid, stop: nginx.stop };
};

/** Sums each cache's hits and misses from the Prometheus text. */
const cacheCounts = async (baseUrl: string): Promise<Record<string, { hits: number; misses: number }>> => {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const counts: Record<string, { hits: number; misses: number }> = {};
  for (const match of text.matchAll(/^memelab_cache_(hits|misses)_total\{cache="(\w+)"[^}]*\} (\S+)$/gm)) {
    const [, kind, cache = '', value] = match;
    const entry = counts[cache] ?? { hits: 0, misses: 0 };
    entry[kind === 'hits' ? 'hits' : 'misses'] += Number(value);
    counts[cache] = entry;
  }
  return counts;
};

const processes: MemelabProcess[] = [];
let backends: DistributedBackends | undefined;
let dataDir: string | undefined;
const nodeArgs = values['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`];
/** The defaults a user gets, spelled out: the benchmark measures what `npm start` runs. */
const userSettings = { LOG_LEVEL: 'info' };

const startStack = async (): Promise<string> => {
  if (mode === 'embedded') {
    dataDir = await makeTempDir();
    const server = await startMemelab('start', { DATA_DIR: dataDir, ...userSettings }, { nodeArgs });
    processes.push(server);
    return `http://127.0.0.1:${server.port}`;
  }
  backends = await startDistributedBackends({
    separateProcess: true,
    ...(existsSync('/dev/shm') ? { parentDirectory: '/dev/shm' } : {}),
  });
  const api = await startMemelab('api', { ...backends.env, ...userSettings }, { nodeArgs });
  processes.push(api);
  processes.push(await startMemelab('worker', { ...backends.env, LOG_LEVEL: 'warn' }));
  return `http://127.0.0.1:${api.port}`;
};

interface MemeBody {
  readonly id: string;
  readonly status: string;
  readonly links: { readonly image: string; readonly memegen?: string };
}

const main = async (): Promise<void> => {
  await requireCommand('wrk', 'wrk');
  await requireCommand('nginx', 'nginx');
  const loadAtStart = round(loadavg()[0] ?? 0, 2);
  log(`starting the ${mode} stack...`);
  const baseUrl = await startStack();
  const created = (await (
    await fetch(`${baseUrl}/api/memes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template: values.template, captions: ['serving benchmark', 'bytes that never change'] }),
    })
  ).json()) as MemeBody;
  const meme = (await (await fetch(`${baseUrl}/api/memes/${created.id}?wait=30`)).json()) as MemeBody;
  if (meme.status !== 'done' || meme.links.memegen === undefined) {
    throw new Error(`the benchmark meme did not render: ${JSON.stringify(meme)}`);
  }
  const image = Buffer.from(await (await fetch(`${baseUrl}${meme.links.image}`)).arrayBuffer());

  const nginxDir = await mkdtemp(path.join(tmpdir(), 'memelab-serve-nginx-'));
  const root = path.join(nginxDir, 'www');
  await mkdir(root);
  const fileName = path.basename(meme.links.image);
  await writeFile(path.join(root, fileName), image);

  try {
    const before = await cacheCounts(baseUrl);
    const serverPid = [processes[0]?.child.pid ?? 0];
    const imageResult = await measure('image', `${baseUrl}${meme.links.image}`, serverPid);
    const memegenResult = await measure('memegen', `${baseUrl}${meme.links.memegen}`, serverPid);
    const after = await cacheCounts(baseUrl);
    const nginx = await startNginx(root, fileName);
    let nginxResult: MeasuredResult;
    try {
      nginxResult = await measure('nginx', nginx.url, [nginx.pid]);
    } finally {
      await nginx.stop();
    }
    const hitRatio = (cache: string): number | null => {
      const hits = (after[cache]?.hits ?? 0) - (before[cache]?.hits ?? 0);
      const misses = (after[cache]?.misses ?? 0) - (before[cache]?.misses ?? 0);
      return hits + misses === 0 ? null : round(hits / (hits + misses), 4);
    };
    process.stdout.write(
      `${JSON.stringify({
        mode,
        image: imageResult,
        memegen: memegenResult,
        nginx: nginxResult,
        ratioToNginx: round(imageResult.reqPerSec / nginxResult.reqPerSec, 3),
        memegenRatioToNginx: round(memegenResult.reqPerSec / nginxResult.reqPerSec, 3),
        cacheHitRatio: { images: hitRatio('images'), memes: hitRatio('memes') },
        imageBytes: image.byteLength,
        connections,
        threads,
        durationSec: duration,
        loadAvg1: { start: loadAtStart, end: round(loadavg()[0] ?? 0, 2) },
      })}\n`,
    );
  } finally {
    await rm(nginxDir, { recursive: true, force: true });
  }
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
}
