import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadinessExpectation } from './chaos-invariants.ts';
import type { ChaosReport, ChaosRunOptions } from './chaos-runner.ts';
import type { ChaosStack } from './chaos-stack.ts';
import { HEALTHCARE_BOOKINGS } from './healthcare-bookings.ts';
import { OOM_KILL } from './oom-kill.ts';
import { SLOW_START } from './slow-start.ts';

/** Marks the fault window an experiment opens and closes, for the invariants and the report. */
export interface FaultClock {
  start(note: string): void;
  end(note: string): void;
  note(text: string): void;
}

export interface ChaosExperiment {
  readonly name: string;
  readonly title: string;
  /** What should hold while and after the fault is injected. */
  readonly hypothesis: string;
  readonly workers: number;
  readonly readiness: ReadinessExpectation;
  /** Load other than the default 20 requests/s of 3 creates to 1 image read. */
  readonly load?: { readonly ratePerSecond: number; readonly mix: string };
  /** Extra environment for the workers (the default stack's otherwise). */
  readonly workerEnv?: Record<string, string>;
  /** Memes done per second after the fault must be this many times the rate before it. */
  readonly throughputRatio?: number;
  /** The first worker's readiness, where the fault should reach it (it must live through the run). */
  readonly workerReadiness?: ReadinessExpectation;
  /** Breaks something and heals it; `scale` is 1 for the full run and smaller for the short one. */
  inject(stack: ChaosStack, clock: FaultClock, scale: number): Promise<void>;
  /** An experiment that starts its own stack (containers, another service) and judges itself. */
  readonly run?: (options: ChaosRunOptions) => Promise<ChaosReport>;
}

const seconds = (value: number, scale: number): number => Math.max(1000, Math.round(value * 1000 * scale));

export const EXPERIMENTS: readonly ChaosExperiment[] = [
  {
    name: 'worker-kill',
    title: 'Worker SIGKILL ×3 during load',
    hypothesis:
      'A worker killed mid-render leaves its unacknowledged jobs to the broker, which hands them to another worker: ' +
      'every accepted meme is rendered once, the API never notices.',
    workers: 2,
    readiness: 'stays-ready',
    inject: async (stack, clock, scale) => {
      clock.start('SIGKILL a worker three times, a replacement started after each');
      // Replacements start in the background, as a Deployment's would: the kills keep their
      // pace however slowly a new worker starts.
      const replacements: Promise<unknown>[] = [];
      for (let round = 0; round < 3; round++) {
        // Every kill hits a running worker: wait for a replacement if none is up yet.
        if (stack.workers.length === 0) await Promise.race(replacements);
        const victim = stack.workers[0];
        if (victim !== undefined) await stack.stopWorker(victim, 'SIGKILL');
        clock.note(`worker ${round + 1} killed`);
        replacements.push(stack.startWorker());
        await sleep(seconds(3, scale));
      }
      await Promise.all(replacements);
      clock.end('three workers killed and replaced');
    },
  },
  {
    name: 'api-kill',
    title: 'API SIGKILL and restart',
    hypothesis:
      'Requests fail while the API is down, but every meme it had accepted is rendered; memes created but not yet ' +
      'published are published by the next start.',
    workers: 2,
    readiness: 'drops',
    inject: async (stack, clock, scale) => {
      clock.start('SIGKILL the API');
      await stack.killApi();
      await sleep(seconds(3, scale));
      await stack.startApi();
      clock.end('API restarted');
    },
  },
  {
    name: 'rabbitmq-restart',
    title: 'RabbitMQ node restart, then every connection closed',
    hypothesis:
      'Quorum queues keep accepted jobs across a broker restart; API and workers reconnect by themselves and every ' +
      'meme is rendered. The API stays ready and keeps accepting (the row is the promise; jobs are published ' +
      'when the broker is back).',
    workers: 2,
    readiness: 'stays-ready',
    inject: async (stack, clock, scale) => {
      clock.start('restart the RabbitMQ node');
      await stack.rabbit.restart();
      clock.note('RabbitMQ back; closing every connection');
      await sleep(seconds(3, scale));
      await stack.rabbit.closeAllConnections('chaos: every connection closed');
      clock.end('connections closed');
    },
  },
  {
    name: 'postgres-restart',
    title: 'PostgreSQL fast restart, then an outage',
    hypothesis:
      'A database restart and an outage of 30 s fail requests that need the database (503, not 500) and delay ' +
      'renders, but lose no accepted meme.',
    workers: 2,
    readiness: 'drops',
    workerReadiness: 'drops',
    inject: async (stack, clock, scale) => {
      clock.start('restart PostgreSQL (fast)');
      await stack.postgres.restart();
      await sleep(seconds(3, scale));
      clock.note('PostgreSQL stopped');
      await stack.postgres.stop('fast');
      await sleep(seconds(30, scale));
      await stack.postgres.start();
      clock.end('PostgreSQL started');
    },
  },
  {
    name: 's3-outage',
    title: 'Object store outage of 20 s',
    hypothesis:
      'Workers go unready and stop taking jobs while the store is down and resume when it answers; the API stays ' +
      'ready, keeps accepting and serves images it has cached; no accepted meme fails.',
    workers: 2,
    readiness: 'stays-ready',
    workerReadiness: 'drops',
    inject: async (stack, clock, scale) => {
      clock.start('cut the object store');
      stack.proxies.s3.set({ kind: 'cut' });
      await sleep(seconds(20, scale));
      stack.proxies.s3.set({ kind: 'pass' });
      clock.end('object store back');
    },
  },
  {
    name: 'network-faults',
    title: 'Latency, a cut and a half-open link between workers and broker/database',
    hypothesis:
      'Workers slow down under 200 ms of latency, reconnect after a cut, and detect a half-open link by heartbeat ' +
      'or timeout; nothing is lost, the API is not affected.',
    workers: 2,
    readiness: 'stays-ready',
    inject: async (stack, clock, scale) => {
      const { workerBroker, workerDatabase } = stack.proxies;
      clock.start('200 ms latency to broker and database');
      workerBroker.set({ kind: 'latency', ms: 200 });
      workerDatabase.set({ kind: 'latency', ms: 200 });
      await sleep(seconds(10, scale));
      clock.note('links cut');
      workerBroker.set({ kind: 'cut' });
      workerDatabase.set({ kind: 'cut' });
      await sleep(seconds(5, scale));
      clock.note('links half-open');
      workerBroker.set({ kind: 'half-open' });
      workerDatabase.set({ kind: 'half-open' });
      await sleep(seconds(10, scale));
      workerBroker.set({ kind: 'pass' });
      workerDatabase.set({ kind: 'pass' });
      clock.end('links healed');
    },
  },
  {
    name: 'scale-out',
    title: 'Scale-out survival: workers 1 → 4 under load',
    hypothesis:
      'Adding workers under load raises render throughput; the database and the broker never restart; nothing is lost. ' +
      'The load (80 new memes/s) is more than one worker rendering one meme at a time can take, so the backlog shows it.',
    workers: 1,
    readiness: 'stays-ready',
    load: { ratePerSecond: 80, mix: 'create=1' },
    workerEnv: { WORKER_CONCURRENCY: '1' },
    throughputRatio: 1.25,
    inject: async (stack, clock, scale) => {
      clock.start('scale workers 1 → 4');
      for (let added = 0; added < 3; added++) {
        await stack.startWorker();
        clock.note(`${stack.workers.length} workers`);
        await sleep(seconds(3, scale));
      }
      clock.end('4 workers');
    },
  },
  OOM_KILL,
  SLOW_START,
  HEALTHCARE_BOOKINGS,
];

export const findExperiment = (name: string): ChaosExperiment | undefined =>
  EXPERIMENTS.find((experiment) => experiment.name === name);
