import { join } from 'node:path';
import { kustomize, OVERLAYS } from '../../../../deploy/k8s/test/lib/render.ts';
import { REPOSITORY_ROOT } from '../../../../deploy/test/project-images.ts';
import { freePort } from '../testing/memelab-process.ts';
import type { InvariantResult } from './chaos-invariants.ts';
import type { ChaosReport } from './chaos-runner.ts';
import { envFlags, firstOk, startContainerChaosStack } from './container-chaos-stack.ts';
import {
  type ContainerProbes,
  containerProbes,
  cpuShare,
  judgeStartBudgets,
  type MeasuredStart,
  startupBudgetSeconds,
} from './probe-budget.ts';
import { EventLog, passedAll, standaloneExperiment, writeChaosReport } from './standalone-experiment.ts';

/** A tenth of a core: far below the manifests' requests (200–250m), as on a node that is overcommitted. */
const CPUS = '0.1';
/** The start-up probe must allow this many times the measured start. */
const MARGIN = 1.5;

const ROLES = [
  { role: 'api', image: 'memelab-api', port: 8080 },
  { role: 'worker', image: 'memelab-worker', port: 8081 },
] as const;

export const SLOW_START = standaloneExperiment({
  name: 'slow-start',
  title: `Slow start: api and worker under --cpus ${CPUS}`,
  hypothesis:
    `Started with a tenth of a core, api and worker take far longer to answer /healthz and /readyz, but the ` +
    `start-up probes in the rendered Kubernetes manifests wait at least ${MARGIN}× that long, so the kubelet ` +
    'never restarts a pod that is only slow to start.',
  run: async ({ scale, outDir, log }) => {
    const events = new EventLog(log);
    const id = `memelab-chaos-slow-${process.pid}`;
    const stack = await startContainerChaosStack(id, log);
    try {
      const manifests: ContainerProbes[] = [];
      for (const overlay of OVERLAYS) {
        manifests.push(...containerProbes(await kustomize(join(REPOSITORY_ROOT, 'deploy/k8s/overlays', overlay))));
      }
      const ours = manifests.filter((container) => ROLES.some((r) => container.image.includes(`/${r.image}:`)));
      // Waiting longer than the tightest budget proves nothing more: the kubelet would have given up.
      const waitSeconds = Math.min(...ours.map(startupBudgetSeconds), 600);
      events.note(`starting api and worker with --cpus ${CPUS}; waiting up to ${waitSeconds} s for each`);
      const measured = await Promise.all(
        ROLES.map(async ({ role, image, port }): Promise<MeasuredStart & { cpuMax: string; exited?: string }> => {
          const hostPort = await freePort();
          const name = `${id}-${role}`;
          const started = performance.now();
          await stack.runContainer(name, role === 'api' ? stack.images.api : stack.images.worker, [
            '--cpus',
            CPUS,
            '--publish',
            `127.0.0.1:${hostPort}:${port}`,
            ...envFlags(stack.containerEnv),
          ]);
          const deadline = started + waitSeconds * 1000;
          const base = `http://127.0.0.1:${hostPort}`;
          const healthyAt = await firstOk(`${base}/healthz`, deadline);
          if (healthyAt !== undefined) events.note(`${role} answers /healthz`, healthyAt);
          const readyAt = healthyAt === undefined ? undefined : await firstOk(`${base}/readyz`, deadline);
          if (readyAt !== undefined) events.note(`${role} ready`, readyAt);
          const state = await stack.podman.attempt([
            'inspect',
            '--format',
            '{{.State.Status}} {{.State.ExitCode}}',
            name,
          ]);
          // The kernel's own record of the limit, quota and period in microseconds: cpu.max on
          // cgroup v2, the CFS quota and period files on v1.
          const cpuMax = (
            await stack.podman.attempt([
              'exec',
              name,
              'sh',
              '-c',
              'cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)',
            ])
          ).stdout.trim();
          const seconds = (at: number | undefined) =>
            at === undefined ? Number.POSITIVE_INFINITY : (at - started) / 1000;
          return {
            image,
            healthySeconds: seconds(healthyAt),
            readySeconds: seconds(readyAt),
            cpuMax,
            ...(state.stdout.startsWith('running') ? {} : { exited: state.stdout.trim() }),
          };
        }),
      );
      const invariants: InvariantResult[] = [
        ...measured.map((start) => ({
          name: `${start.image} starts and becomes ready under --cpus ${CPUS}`,
          passed: Number.isFinite(start.readySeconds) && start.exited === undefined,
          detail: Number.isFinite(start.readySeconds)
            ? `ready after ${start.readySeconds.toFixed(1)} s`
            : `not ready within ${waitSeconds} s${start.exited === undefined ? '' : ` (container ${start.exited})`}`,
        })),
        ...measured.map((start) => ({
          name: `${start.image} ran under a tenth of a core`,
          passed: cpuShare(start.cpuMax) !== undefined && (cpuShare(start.cpuMax) ?? 1) <= Number(CPUS) + 1e-9,
          detail: `cgroup cpu.max "${start.cpuMax}"`,
        })),
        ...judgeStartBudgets(measured, ours, MARGIN),
      ];
      const figures: Record<string, unknown> = { cpus: Number(CPUS), margin: MARGIN };
      for (const start of measured) {
        const role = start.image.replace('memelab-', '');
        figures[`${role}HealthySeconds`] = round(start.healthySeconds);
        figures[`${role}ReadySeconds`] = round(start.readySeconds);
        figures[`${role}BudgetSeconds`] = Math.min(
          ...ours.filter((container) => container.image.includes(`/${start.image}:`)).map(startupBudgetSeconds),
        );
      }
      const report: ChaosReport = {
        experiment: 'slow-start',
        title: SLOW_START.title,
        hypothesis: SLOW_START.hypothesis,
        startedAt: events.startedAt,
        scale,
        passed: passedAll(invariants),
        invariants,
        timeline: events.events,
        faultSeconds: 0,
        recoveryMs: null,
        serverErrors: {},
        figures,
      };
      await writeChaosReport(report, outDir, {
        details: {
          measured,
          probes: ours.map((container) => ({ ...container, budgetSeconds: startupBudgetSeconds(container) })),
        },
      });
      return report;
    } finally {
      await stack.destroy();
    }
  },
});

const round = (seconds: number): number | null => (Number.isFinite(seconds) ? Math.round(seconds * 10) / 10 : null);
