import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { GracefulShutdown } from './graceful-shutdown.ts';

const logger = pino({ level: 'silent' });

describe('graceful shutdown', () => {
  it('runs the steps in order and exits 0', async () => {
    const order: string[] = [];
    const shutdown = new GracefulShutdown({ logger, deadlineMs: 1_000 })
      .add('stop accepting', () => {
        order.push('stop');
      })
      .add('drain', async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push('drain');
      })
      .add('close', () => {
        order.push('close');
      });
    expect(await shutdown.shutdown('test')).toBe(0);
    expect(order).toEqual(['stop', 'drain', 'close']);
  });

  it('keeps going after a failing step and exits 1', async () => {
    const order: string[] = [];
    const shutdown = new GracefulShutdown({ logger, deadlineMs: 1_000 })
      .add('broken', () => {
        throw new Error('boom');
      })
      .add('close', () => {
        order.push('close');
      });
    expect(await shutdown.shutdown('test')).toBe(1);
    expect(order).toEqual(['close']);
  });

  it('exits 1 when the deadline passes', async () => {
    const shutdown = new GracefulShutdown({ logger, deadlineMs: 50 }).add('hang', () => new Promise(() => {}));
    expect(await shutdown.shutdown('test')).toBe(1);
  });

  it('runs only once however often it is asked', async () => {
    let runs = 0;
    const shutdown = new GracefulShutdown({ logger, deadlineMs: 1_000 }).add('count', () => {
      runs++;
    });
    await Promise.all([shutdown.shutdown('a'), shutdown.shutdown('b')]);
    expect(runs).toBe(1);
  });
});
