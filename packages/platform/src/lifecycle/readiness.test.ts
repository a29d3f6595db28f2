import { describe, expect, it } from 'vitest';
import { Readiness } from './readiness.ts';

describe('readiness', () => {
  it('is ready when every check passes', async () => {
    const report = await new Readiness()
      .add('db', () => {})
      .add('queue', async () => {})
      .report();
    expect(report.ready).toBe(true);
    expect(Object.keys(report.checks)).toEqual(['db', 'queue']);
  });

  it('names the failing dependency and its error', async () => {
    const report = await new Readiness()
      .add('db', () => {})
      .add('queue', () => {
        throw new Error('connection refused');
      })
      .report();
    expect(report.ready).toBe(false);
    expect(report.checks.queue).toMatchObject({ ok: false, error: 'connection refused' });
    expect(report.checks.db?.ok).toBe(true);
  });

  it('fails a check that does not answer in time', async () => {
    const report = await new Readiness(50).add('slow', () => new Promise(() => {})).report();
    expect(report.ready).toBe(false);
    expect(report.checks.slow?.error).toBe('no answer within 50 ms');
  });

  it('is not ready once shutting down, even with healthy dependencies', async () => {
    const readiness = new Readiness().add('db', () => {});
    readiness.markShuttingDown();
    expect(await readiness.report()).toMatchObject({ ready: false, shuttingDown: true });
  });

  it('reports a failing optional check without becoming unready', async () => {
    const report = await new Readiness()
      .add('database', () => {})
      .add(
        'objects',
        () => {
          throw new Error('connect ECONNREFUSED');
        },
        { optional: true },
      )
      .report();
    expect(report.ready).toBe(true);
    expect(report.checks.objects).toMatchObject({ ok: false, error: 'connect ECONNREFUSED', optional: true });
  });
});
