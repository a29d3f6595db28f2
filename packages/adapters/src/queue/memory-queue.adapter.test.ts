import { afterEach, describe, expect, it } from 'vitest';
import { MemoryQueue } from './memory-queue.adapter.ts';
import type { MemeRenderedEvent } from './queue.port.ts';
import type { QueueLogLevel } from './queue-log.ts';
import { DONE, deferred, describeQueueContract, eventually, sleep } from './testing/queue-contract.ts';

describeQueueContract('in-memory', async () => new MemoryQueue({ failedHandlerRetryDelayMs: 50 }));

describe('in-memory queue', () => {
  const queues: MemoryQueue[] = [];
  const makeQueue = (failedHandlerRetryDelayMs = 50): MemoryQueue => {
    const queue = new MemoryQueue({ failedHandlerRetryDelayMs });
    queues.push(queue);
    return queue;
  };

  afterEach(async () => {
    await Promise.all(queues.splice(0).map((queue) => queue.close()));
  });

  it('keeps the reason, attempt and headers of dead-lettered jobs', async () => {
    const queue = makeQueue();
    await queue.consumeJobs(
      async ({ attempt }) => {
        return attempt === 1 ? { kind: 'retry', delayMs: 0, reason: 'busy' } : { kind: 'dead', reason: 'font missing' };
      },
      { prefetch: 1 },
    );

    await queue.publishJob({ memeId: 'dead-1' }, { correlationId: 'corr-dead' });

    await eventually(() => expect(queue.deadLetters()).toHaveLength(1));
    expect(queue.deadLetters()[0]).toMatchObject({
      job: { memeId: 'dead-1' },
      headers: { correlationId: 'corr-dead' },
      attempt: 2,
      reason: 'font missing',
    });
  });

  it('retries a job whose handler threw after the configured delay', async () => {
    const queue = makeQueue(200);
    const attempts: { attempt: number; at: number }[] = [];
    await queue.consumeJobs(
      async ({ attempt }) => {
        attempts.push({ attempt, at: performance.now() });
        if (attempt === 1) throw new Error('boom');
        return DONE;
      },
      { prefetch: 1 },
    );

    await queue.publishJob({ memeId: 'throws' });

    await eventually(() => expect(attempts.map(({ attempt }) => attempt)).toEqual([1, 2]));
    const [first, second] = attempts;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it('delivers events after publishEvent has returned, never on the publisher’s call stack', async () => {
    const queue = makeQueue();
    const received: MemeRenderedEvent[] = [];
    await queue.subscribeEvents((event) => {
      received.push(event);
      throw new Error('subscriber bug');
    });
    const event: MemeRenderedEvent = { memeId: 'm', status: 'done', at: '2024-05-01T00:00:00.000Z' };

    const publishing = queue.publishEvent(event);

    expect(received).toEqual([]);
    await expect(publishing).resolves.toBeUndefined();
    await eventually(() => expect(received).toEqual([event]));
  });

  it('reports a throwing subscriber to the log', async () => {
    const logged: { level: QueueLogLevel; message: string }[] = [];
    const queue = new MemoryQueue({ log: (level, message) => logged.push({ level, message }) });
    queues.push(queue);
    await queue.subscribeEvents(() => {
      throw new Error('subscriber bug');
    });

    await queue.publishEvent({ memeId: 'm', status: 'failed', at: '2024-05-01T00:00:00.000Z' });

    await eventually(() => expect(logged).toEqual([{ level: 'warn', message: 'event subscriber threw' }]));
  });

  it('does not run handlers inside publishJob', async () => {
    const queue = makeQueue();
    let calls = 0;
    await queue.consumeJobs(
      async () => {
        calls++;
        return DONE;
      },
      { prefetch: 1 },
    );

    const publishing = queue.publishJob({ memeId: 'async' });

    expect(calls).toBe(0);
    await publishing;
    await eventually(() => expect(calls).toBe(1));
  });

  it('close() waits for jobs in flight and counts delayed retries as waiting', async () => {
    const queue = makeQueue();
    const started = deferred();
    const release = deferred();
    await queue.consumeJobs(
      async ({ job }) => {
        if (job.memeId === 'slow') {
          started.resolve();
          await release.promise;
          return DONE;
        }
        return { kind: 'retry', delayMs: 60_000, reason: 'later' };
      },
      { prefetch: 2 },
    );
    await queue.publishJob({ memeId: 'delayed' });
    await queue.publishJob({ memeId: 'slow' });
    await started.promise;
    expect(await queue.depth()).toBe(0);

    let closed = false;
    const closing = queue.close().then(() => {
      closed = true;
    });
    await sleep(50);
    expect(closed).toBe(false);
    release.resolve();
    await closing;

    expect(await queue.depth()).toBe(1);
    expect(queue.isReady()).toBe(false);
  });

  it('stops a consumer idempotently', async () => {
    const queue = makeQueue();
    const consumer = await queue.consumeJobs(async () => DONE, { prefetch: 1 });

    await consumer.stop();
    await consumer.stop();
    await queue.publishJob({ memeId: 'unclaimed' });
    await sleep(20);

    expect(await queue.depth()).toBe(1);
  });

  it('counts each subscription of the same handler separately', async () => {
    const queue = makeQueue();
    const received: string[] = [];
    const handler = (event: MemeRenderedEvent): void => {
      received.push(event.memeId);
    };
    const first = await queue.subscribeEvents(handler);
    await queue.subscribeEvents(handler);
    await first.unsubscribe();

    await queue.publishEvent({ memeId: 'once', status: 'done', at: '2024-05-01T00:00:00.000Z' });

    await eventually(() => expect(received).toEqual(['once']));
  });
});
