import { describe, expect, it } from 'vitest';
import { containerProbes, cpuShare, imageName, judgeStartBudgets, startupBudgetSeconds } from './probe-budget.ts';

const deployment = (name: string, image: string, probes: Record<string, unknown>) => ({
  kind: 'Deployment',
  metadata: { name, namespace: 'memelab' },
  spec: { template: { spec: { containers: [{ name, image, ...probes }] } } },
});

describe('startupBudgetSeconds', () => {
  it('lets the last probe of the threshold start and time out', () => {
    expect(startupBudgetSeconds({ startupProbe: { failureThreshold: 30, periodSeconds: 5, timeoutSeconds: 3 } })).toBe(
      148,
    );
    expect(
      startupBudgetSeconds({
        startupProbe: { initialDelaySeconds: 10, failureThreshold: 3, periodSeconds: 10, timeoutSeconds: 1 },
      }),
    ).toBe(31);
  });

  it('takes Kubernetes defaults for fields left out', () => {
    // 0 + (3 - 1) × 10 + 1
    expect(startupBudgetSeconds({ startupProbe: {} })).toBe(21);
  });

  it('falls back to the liveness probe without a startup probe, and is unbounded without either', () => {
    expect(startupBudgetSeconds({ livenessProbe: { initialDelaySeconds: 5, periodSeconds: 2 } })).toBe(10);
    expect(startupBudgetSeconds({})).toBe(Number.POSITIVE_INFINITY);
  });

  it('prefers the startup probe over liveness', () => {
    expect(
      startupBudgetSeconds({
        startupProbe: { failureThreshold: 2, periodSeconds: 1 },
        livenessProbe: { periodSeconds: 99 },
      }),
    ).toBe(2);
  });
});

describe('containerProbes', () => {
  it('lists containers of workloads only', () => {
    const probes = containerProbes([
      { kind: 'Service', metadata: { name: 'api' } },
      deployment('api', 'ghcr.io/memelab/memelab-api:0.1.0', { startupProbe: { failureThreshold: 30 } }),
    ]);
    expect(probes).toEqual([
      {
        workload: 'Deployment/memelab/api',
        container: 'api',
        image: 'ghcr.io/memelab/memelab-api:0.1.0',
        startupProbe: { failureThreshold: 30 },
      },
    ]);
  });
});

describe('imageName', () => {
  it('drops registry, tag and digest', () => {
    expect(imageName('ghcr.io/memelab/memelab-api:0.1.0')).toBe('memelab-api');
    expect(imageName('memelab-worker@sha256:abc')).toBe('memelab-worker');
    expect(imageName('localhost:5000/memelab-worker')).toBe('memelab-worker');
  });
});

describe('judgeStartBudgets', () => {
  const containers = containerProbes([
    deployment('api', 'ghcr.io/memelab/memelab-api:0.1.0', {
      startupProbe: { failureThreshold: 30, periodSeconds: 5, timeoutSeconds: 3 },
    }),
    deployment('api-canary', 'ghcr.io/memelab/memelab-api:0.2.0', {
      startupProbe: { failureThreshold: 6, periodSeconds: 5, timeoutSeconds: 3 },
    }),
  ]);

  it('passes when the tightest budget covers the start with margin', () => {
    const [result] = judgeStartBudgets([{ image: 'memelab-api', healthySeconds: 10, readySeconds: 12 }], containers, 2);
    expect(result?.passed).toBe(true);
    expect(result?.detail).toContain('tightest budget 28 s (Deployment/memelab/api-canary');
  });

  it('fails when the margin is not there', () => {
    const [result] = judgeStartBudgets([{ image: 'memelab-api', healthySeconds: 15, readySeconds: 15 }], containers, 2);
    expect(result?.passed).toBe(false);
  });

  it('fails for an image no manifest runs', () => {
    const [result] = judgeStartBudgets(
      [{ image: 'memelab-worker', healthySeconds: 1, readySeconds: 1 }],
      containers,
      2,
    );
    expect(result).toMatchObject({ passed: false, detail: 'no container runs this image' });
  });
});

describe('cpuShare', () => {
  it('reads cgroup v2 cpu.max and the v1 quota and period alike', () => {
    expect(cpuShare('10000 100000')).toBe(0.1);
    expect(cpuShare('50000 100000')).toBe(0.5);
  });

  it('is undefined without a limit or a reading', () => {
    expect(cpuShare('max 100000')).toBeUndefined();
    expect(cpuShare('-1 100000')).toBeUndefined();
    expect(cpuShare('')).toBeUndefined();
  });
});
