/**
 * Start-up benchmark: how long memelab takes to answer, started the way a user starts it.
 *
 *   npm run bench:startup [-- --runs N]
 *
 * Prints one JSON line, each figure the median of N runs (default 3), in ms:
 *
 *   embeddedFirstStartMs  `npm start` in a fresh clone of this checkout (HEAD; node_modules
 *                         linked from here) with no data directory, no built web page and
 *                         tsx's transform cache off, until it prints its URL
 *   embeddedRestartMs     the same clone started again on the data it kept
 *   distributedApiMs      `memelab api` against PostgreSQL (a throwaway database, migrated by
 *                         a first start that is not counted), RabbitMQ (queue names under a
 *                         fresh prefix) and an S3 test server, all answering already, until
 *                         its /readyz answers 200
 *   distributedApiBundleMs  the same from the server bundle the images run
 *                         (`node memelab.mjs api`, built from this checkout), without tsx
 *
 * and for each the process's own "ready in" figure (*ReportedMs: from the process start, so
 * without npm's and the shell's start) and the CPU time of every process the start ran
 * (*CpuMs: npm, node, the web build), which load on a shared machine does not inflate.
 * `loadAverage` is the 1-minute load when the run began. Progress goes to stderr.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { startDistributedBackends } from '../apps/cli/src/testing/process-stack.ts';
import { processCpuMs } from './process-cpu.ts';
import { buildServerBundle } from './server-bundle.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 120_000;
const run = promisify(execFile);

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 10) {
  process.stderr.write('--runs must be a whole number from 1 to 10\n');
  process.exit(2);
}

interface StartTiming {
  /** From spawning the command until it is ready. */
  readonly wallMs: number;
  /** What the process itself printed as its time to ready. */
  readonly reportedMs: number;
  /** CPU time of every process in the start's process group, at ready. */
  readonly cpuMs: number;
}

const progress = (message: string) => process.stderr.write(`${message}\n`);
const median = (numbers: readonly number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return Math.round(
    sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2,
  );
};

/** CPU ms of every live process in a process group (the start's npm, shell, node and build). */
const groupCpuMs = async (groupId: number): Promise<number> => {
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === groupId) total += (await processCpuMs(Number(entry))) ?? 0;
    } catch {
      // exited meanwhile
    }
  }
  return total;
};

/**
 * Spawns `command` in a process group of its own, waits until `isReady(output)` and then
 * measures, and stops the whole group with SIGINT (SIGKILL after 15 s).
 */
const timeStart = async (
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  isReady: (output: string) => Promise<number | undefined>,
): Promise<StartTiming> => {
  const started = performance.now();
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      const reportedMs = await isReady(output);
      if (reportedMs !== undefined) {
        const wallMs = performance.now() - started;
        const cpuMs = child.pid === undefined ? 0 : await groupCpuMs(child.pid);
        return { wallMs, reportedMs, cpuMs };
      }
      if (child.exitCode !== null)
        throw new Error(`${command} ${args.join(' ')} exited before it was ready:\n${output}`);
      if (performance.now() - started > READY_TIMEOUT_MS)
        throw new Error(`not ready within ${READY_TIMEOUT_MS} ms:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await stopGroup(child, exited);
  }
};

const stopGroup = async (child: ChildProcess, exited: Promise<void>): Promise<void> => {
  if (child.pid === undefined || child.exitCode !== null) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // already gone
    }
  };
  signal('SIGINT');
  const timer = setTimeout(() => signal('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
};

/** A fresh clone of this checkout's HEAD whose node_modules link to this checkout's, except its own workspaces. */
const cloneCheckout = async (parent: string): Promise<string> => {
  const clone = join(parent, 'checkout');
  await run('git', ['clone', '--quiet', ROOT, clone]);
  const modules = join(clone, 'node_modules');
  await mkdir(join(modules, '@memelab'), { recursive: true });
  for (const entry of await readdir(join(ROOT, 'node_modules'))) {
    if (entry !== '@memelab') await symlink(join(ROOT, 'node_modules', entry), join(modules, entry));
  }
  for (const entry of await readdir(join(ROOT, 'node_modules/@memelab'))) {
    const workspace = (await readdir(join(clone, 'apps'))).includes(entry) ? `apps/${entry}` : `packages/${entry}`;
    await symlink(join(clone, workspace), join(modules, '@memelab', entry)).catch(() => undefined);
  }
  // Workspaces with a version of a package of their own (not hoisted) keep it in their node_modules.
  for (const group of ['apps', 'packages']) {
    for (const workspace of await readdir(join(ROOT, group))) {
      const nested = join(ROOT, group, workspace, 'node_modules');
      if ((await readdir(nested).catch(() => undefined)) !== undefined) {
        await symlink(nested, join(clone, group, workspace, 'node_modules')).catch(() => undefined);
      }
    }
  }
  return clone;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });

const embeddedReady = async (output: string): Promise<number | undefined> => {
  const match = /running at \S+\s+\(ready in ([\d.]+) s\)/.exec(output);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1000;
};

const loadAverage = Number(loadavg()[0]?.toFixed(2));
const parent = await mkdtemp(join(tmpdir(), 'memelab-startup-'));
try {
  progress('cloning the checkout');
  const clone = await cloneCheckout(parent);
  const dataDir = join(parent, 'data');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const embeddedEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' };

  const first: StartTiming[] = [];
  const restart: StartTiming[] = [];
  for (let i = 0; i < runs; i++) {
    await rm(dataDir, { recursive: true, force: true });
    await rm(join(clone, 'apps/web/dist'), { recursive: true, force: true });
    first.push(
      await timeStart(npm, ['start'], { cwd: clone, env: { ...embeddedEnv, TSX_DISABLE_CACHE: '1' } }, embeddedReady),
    );
    progress(`embedded first start ${i + 1}/${runs}: ${Math.round(first.at(-1)?.wallMs ?? 0)} ms`);
    restart.push(await timeStart(npm, ['start'], { cwd: clone, env: embeddedEnv }, embeddedReady));
    progress(`embedded restart ${i + 1}/${runs}: ${Math.round(restart.at(-1)?.wallMs ?? 0)} ms`);
  }

  progress('starting a PostgreSQL database, a RabbitMQ prefix and an S3 test server');
  const backends = await startDistributedBackends();
  const api: StartTiming[] = [];
  const apiBundle: StartTiming[] = [];
  try {
    const port = await freePort();
    const apiEnv = { ...process.env, ...backends.env, PORT: String(port), HOST: '127.0.0.1', LOG_FORMAT: 'json' };
    const apiReady = async (output: string): Promise<number | undefined> => {
      const match = /"startupMs":(\d+)/.exec(output);
      if (match?.[1] === undefined) return undefined;
      const answer = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
      return answer?.status === 200 ? Number(match[1]) : undefined;
    };
    const apiArgs = ['--import', 'tsx', 'apps/cli/src/main.ts', 'api'];
    // The first start migrates the new database and creates the queues and the bucket.
    await timeStart(process.execPath, apiArgs, { cwd: clone, env: apiEnv }, apiReady);
    for (let i = 0; i < runs; i++) {
      api.push(await timeStart(process.execPath, apiArgs, { cwd: clone, env: apiEnv }, apiReady));
      progress(`distributed api ${i + 1}/${runs}: ${Math.round(api.at(-1)?.wallMs ?? 0)} ms`);
    }
    progress('building the server bundle');
    // Built from this checkout: the bundler keeps external only what its own node_modules holds.
    const bundleArgs = [await buildServerBundle(parent), 'api'];
    for (let i = 0; i < runs; i++) {
      apiBundle.push(await timeStart(process.execPath, bundleArgs, { cwd: parent, env: apiEnv }, apiReady));
      progress(`distributed api from the bundle ${i + 1}/${runs}: ${Math.round(apiBundle.at(-1)?.wallMs ?? 0)} ms`);
    }
  } finally {
    await backends.cleanup();
  }

  const summary = (name: string, timings: readonly StartTiming[]) => ({
    [`${name}Ms`]: median(timings.map((timing) => timing.wallMs)),
    [`${name}ReportedMs`]: median(timings.map((timing) => timing.reportedMs)),
    [`${name}CpuMs`]: median(timings.map((timing) => timing.cpuMs)),
  });
  console.log(
    JSON.stringify({
      runs,
      ...summary('embeddedFirstStart', first),
      ...summary('embeddedRestart', restart),
      ...summary('distributedApi', api),
      ...summary('distributedApiBundle', apiBundle),
      loadAverage,
    }),
  );
} finally {
  await rm(parent, { recursive: true, force: true });
}
