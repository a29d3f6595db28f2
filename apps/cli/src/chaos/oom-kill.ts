import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { freePort, type MemelabProcess, startMemelab } from '../testing/memelab-process.ts';
import type { ChaosReport } from './chaos-runner.ts';
import { envFlags, firstOk, startContainerChaosStack } from './container-chaos-stack.ts';
import { flatPng } from './flat-png.ts';
import { type ContainerState, judgeOomRun, kernelOomKills } from './oom-kill-invariants.ts';
import { EventLog, passedAll, standaloneExperiment, writeChaosReport } from './standalone-experiment.ts';

/**
 * The worker's memory limit: room for an idle worker and ordinary renders, not for the
 * bitmap of the largest background the limits accept.
 */
const MEMORY_LIMIT = '256m';
/** Just under the 40-megapixel input limit: 160 MB once decoded to RGBA. */
const HUGE_EDGE = 6320;
/** Deliveries of the huge job before the worker gives up on it (the product default is 20). */
const MAX_ATTEMPTS = 3;
const OTHERS_BEFORE = 3;
const OTHERS_AFTER = 5;

interface MemeAnswer {
  readonly id: string;
  readonly status: string;
  readonly failureReason?: string | null;
}

export const OOM_KILL = standaloneExperiment({
  name: 'oom-kill',
  title: `OOMKilled: a worker under --memory ${MEMORY_LIMIT} given a huge render`,
  hypothesis:
    'A render too big for the worker container gets it killed by the kernel (OOMKilled, exit 137); the container ' +
    `restarts, the job is retried and, after ${MAX_ATTEMPTS} attempts, failed with a reason and dead-lettered ` +
    'instead of killing workers forever; every other meme is rendered.',
  run: async ({ scale, outDir, log }) => {
    const events = new EventLog(log);
    const id = `memelab-chaos-oom-${process.pid}`;
    const stack = await startContainerChaosStack(id, log);
    let api: MemelabProcess | undefined;
    let stopWatching = () => {};
    try {
      events.note('starting the API on this machine');
      api = await startMemelab('api', stack.hostEnv, { readyTimeoutMs: 120_000 });
      const apiUrl = `http://127.0.0.1:${api.port}`;
      const opsPort = await freePort();
      const worker = `${id}-worker`;
      events.note(`starting the worker container: --memory ${MEMORY_LIMIT}, --restart on-failure`);
      await stack.runContainer(worker, stack.images.worker, [
        '--memory',
        MEMORY_LIMIT,
        '--memory-swap',
        MEMORY_LIMIT,
        '--restart',
        'on-failure',
        '--publish',
        `127.0.0.1:${opsPort}:8081`,
        ...envFlags({
          ...stack.containerEnv,
          WORKER_CONCURRENCY: '2',
          WORKER_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
          WORKER_RETRY_BASE_MS: '200',
          WORKER_RETRY_MAX_MS: '2000',
          RENDER_CACHE_MB: '16',
        }),
      ]);
      const containerId = (await stack.podman.run(['inspect', '--format', '{{.Id}}', worker])).stdout.trim();
      const containerStarted = new Date(Date.now() - 60_000).toISOString();
      const workerReady = `http://127.0.0.1:${opsPort}/readyz`;
      if ((await firstOk(workerReady, performance.now() + 180_000)) === undefined) {
        const logs = await stack.podman.attempt(['logs', '--tail', '30', worker]);
        throw new Error(`the worker container was not ready within 180 s: ${logs.stdout}${logs.stderr}`);
      }
      events.note('worker ready');

      // Every change of the container's state, and a restart by hand should podman's policy not act.
      const states: ContainerState[] = [];
      let manualRestarts = 0;
      let watching = true;
      stopWatching = () => {
        watching = false;
      };
      const watcher = (async () => {
        let exitedSince: number | undefined;
        while (watching) {
          const inspected = await stack.podman.attempt([
            'inspect',
            '--format',
            '{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}} {{.RestartCount}}',
            worker,
          ]);
          const [status = '?', exitCode = '0', oomKilled = 'false', restartCount = '0'] = inspected.stdout
            .trim()
            .split(' ');
          const state = {
            at: performance.now(),
            status,
            exitCode: Number(exitCode),
            oomKilled: oomKilled === 'true',
            restartCount: Number(restartCount),
          };
          const previous = states.at(-1);
          if (
            previous === undefined ||
            previous.status !== state.status ||
            previous.exitCode !== state.exitCode ||
            previous.oomKilled !== state.oomKilled ||
            previous.restartCount !== state.restartCount
          ) {
            states.push(state);
            events.note(
              `worker container ${status}, exit ${exitCode}, OOMKilled ${oomKilled}, restarts ${restartCount}`,
              state.at,
            );
          }
          if (status === 'running') exitedSince = undefined;
          else if (status === 'exited') {
            exitedSince ??= state.at;
            if (state.at - exitedSince > 10_000) {
              events.note('restart policy did not act within 10 s: starting the container');
              manualRestarts++;
              await stack.podman.attempt(['start', worker]);
              exitedSince = undefined;
            }
          }
          await sleep(300);
        }
      })();

      const template = await firstTemplate(apiUrl);
      const others: string[] = [];
      const createOther = async (n: number) => {
        const meme = await postJson<MemeAnswer>(`${apiUrl}/api/memes`, {
          template,
          captions: [`oom neighbour ${id} ${n}`, 'still rendered'],
        });
        others.push(meme.id);
      };
      for (let n = 0; n < OTHERS_BEFORE; n++) await createOther(n);
      events.note(`${OTHERS_BEFORE} ordinary memes sent`);

      const png = flatPng(HUGE_EDGE, HUGE_EDGE);
      const form = new FormData();
      form.set('image', new Blob([png], { type: 'image/png' }), 'huge.png');
      const uploaded = await fetch(`${apiUrl}/api/backgrounds`, { method: 'POST', body: form });
      if (uploaded.status !== 201)
        throw new Error(`uploading the background answered ${uploaded.status}: ${await uploaded.text()}`);
      const background = ((await uploaded.json()) as { id: string }).id;
      const huge = await postJson<MemeAnswer>(`${apiUrl}/api/memes`, {
        background,
        boxes: [{ x: 0.05, y: 0.05, width: 0.9, height: 0.2 }],
        captions: [`the biggest render there is ${id}`],
        format: 'png',
        width: 2048,
        height: 2048,
      });
      events.note(
        `huge meme sent: ${HUGE_EDGE}×${HUGE_EDGE} background (${(png.length / 1024).toFixed(0)} KiB), 2048×2048 PNG`,
      );
      for (let n = 0; n < OTHERS_AFTER; n++) await createOther(OTHERS_BEFORE + n);
      events.note(`${OTHERS_AFTER} more ordinary memes sent`);

      // Each attempt costs a container start; the bound leaves room for a slow machine.
      const deadline = performance.now() + Math.max(120_000, 300_000 * scale);
      let hugeState: MemeAnswer = huge;
      let otherStates: MemeAnswer[] = [];
      while (performance.now() < deadline) {
        hugeState = await getJson<MemeAnswer>(`${apiUrl}/api/memes/${huge.id}`);
        otherStates = await Promise.all(others.map((meme) => getJson<MemeAnswer>(`${apiUrl}/api/memes/${meme}`)));
        const settled = (meme: MemeAnswer) => meme.status === 'done' || meme.status === 'failed';
        if (settled(hugeState) && otherStates.every(settled)) break;
        await sleep(1000);
      }
      events.note(`huge meme ${hugeState.status}${hugeState.failureReason ? `: ${hugeState.failureReason}` : ''}`);
      const workerReadyAtEnd = (await firstOk(workerReady, performance.now() + 60_000)) !== undefined;
      stopWatching();
      await watcher;
      const deadLetterReasons = await readDeadLetters(stack.rabbit.url, 'chaos.render.dead');
      // The event log keeps every death, however quickly podman restarted the container (polling misses some).
      const podmanEvents = (
        await stack.podman.run([
          'events',
          '--stream=false',
          '--since',
          containerStarted,
          '--filter',
          `container=${containerId}`,
          '--format',
          'json',
        ])
      ).stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as { Status: string; ContainerExitCode?: number; Time: string });
      const diedExitCodes = podmanEvents
        .filter((event) => event.Status === 'died')
        .map((event) => event.ContainerExitCode ?? -1);
      // Seconds from each death to the container's next start, from the event log's own clock.
      const restartGapsMs = podmanEvents.flatMap((event, n) => {
        if (event.Status !== 'died') return [];
        const next = podmanEvents.slice(n + 1).find((later) => later.Status === 'start');
        return next === undefined ? [] : [Date.parse(next.Time) - Date.parse(event.Time)];
      });
      const oomEvents = podmanEvents.filter((event) => event.Status === 'oom').length;
      // Podman on cgroup v1 with runc does not always set OOMKilled; the kernel's log names the cgroup.
      const kernelLog = await promisify(execFile)('dmesg', [], { maxBuffer: 64 * 1024 * 1024 }).then(
        ({ stdout }) => stdout,
        () => undefined,
      );
      const kernelKills = kernelLog === undefined ? undefined : kernelOomKills(kernelLog, containerId);

      const othersByStatus = otherStates.reduce<Record<string, number>>((counts, meme) => {
        counts[meme.status] = (counts[meme.status] ?? 0) + 1;
        return counts;
      }, {});
      const invariants = judgeOomRun({
        huge: { status: hugeState.status, failureReason: hugeState.failureReason ?? null },
        deadLetterReasons,
        diedExitCodes,
        oomEvents,
        states,
        kernelOomKills: kernelKills,
        manualRestarts,
        others: othersByStatus,
        othersSent: others.length,
        workerReadyAtEnd,
      });
      const report: ChaosReport = {
        experiment: 'oom-kill',
        title: OOM_KILL.title,
        hypothesis: OOM_KILL.hypothesis,
        startedAt: events.startedAt,
        scale,
        passed: passedAll(invariants),
        invariants,
        timeline: events.events,
        faultSeconds: 0,
        // The worst time from a kill to the container running again.
        recoveryMs: restartGapsMs.length === 0 ? null : Math.max(...restartGapsMs),
        serverErrors: {},
        figures: {
          memoryLimit: MEMORY_LIMIT,
          kernelOomKills: kernelKills ?? null,
          podmanDeaths: diedExitCodes.length,
          podmanExit137: diedExitCodes.filter((code) => code === 137).length,
          podmanOomEvents: oomEvents,
          restartGapsMs,
          restarts: Math.max(0, ...states.map((state) => state.restartCount)) + manualRestarts,
          manualRestarts,
          huge: hugeState.status,
          hugeReason: hugeState.failureReason ?? null,
          deadLetters: deadLetterReasons.length,
          othersDone: othersByStatus.done ?? 0,
          othersSent: others.length,
        },
      };
      await writeChaosReport(report, outDir, { details: { states, others: otherStates, huge: hugeState } });
      return report;
    } finally {
      stopWatching();
      if (api !== undefined) {
        api.child.kill('SIGKILL');
        await api.exited;
      }
      await stack.destroy();
    }
  },
});

const firstTemplate = async (apiUrl: string): Promise<string> => {
  const body = await getJson<{ items?: { id: string }[] } | { id: string }[]>(`${apiUrl}/api/templates`);
  const items = Array.isArray(body) ? body : (body.items ?? []);
  const first = items[0]?.id;
  if (first === undefined) throw new Error('the API lists no templates');
  return first;
};

const getJson = async <T>(url: string): Promise<T> => {
  const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as T;
};

const postJson = async <T>(url: string, body: unknown): Promise<T> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  if (response.status !== 202 && response.status !== 200) {
    throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as T;
};

/** The death reasons on the dead-letter queue, read without taking the messages away. */
const readDeadLetters = async (url: string, queue: string): Promise<string[]> => {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    const reasons: string[] = [];
    for (;;) {
      const message = await channel.get(queue, { noAck: false });
      if (message === false) break;
      reasons.push(String(message.properties.headers?.['x-death-reason'] ?? ''));
    }
    await channel.close(); // unacknowledged messages return to the queue
    return reasons;
  } finally {
    await connection.close();
  }
};
