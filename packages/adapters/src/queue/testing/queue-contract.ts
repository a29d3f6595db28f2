import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobHandler, JobOutcome, MemeRenderedEvent, Queue, ReceivedJob } from '../queue.port.ts';
import { QueueUnavailableError } from '../queue-errors.ts';

export const DONE: JobOutcome = { kind: 'done' };

export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Retries `check` until it stops throwing; brokers settle asynchronously, so assertions poll. */
export function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  return vi.waitFor(check, { timeout: timeoutMs, interval: 20 });
}

/**
 * Behaviour every `Queue` adapter must show. `makeQueue` returns a fresh queue, isolated from
 * other tests (for a broker: its own names); the contract calls `setup()` and `close()`.
 */
export function describeQueueContract(name: string, makeQueue: () => Promise<Queue>): void {
  describe(`${name} queue contract`, () => {
    let queue: Queue;
    /** Handlers parked on a gate are released after each test, so close() never waits on them. */
    let gates: Deferred[] = [];

    const gate = (): Deferred => {
      const created = deferred();
      gates.push(created);
      return created;
    };

    beforeEach(async () => {
      gates = [];
      queue = await makeQueue();
      await queue.setup();
    });

    afterEach(async () => {
      for (const open of gates) open.resolve();
      await queue.close();
    });

    it('delivers a published job once, with its correlation id, as attempt 1 not redelivered', async () => {
      const received: ReceivedJob[] = [];
      const consumer = await queue.consumeJobs(
        async (job) => {
          received.push(job);
          return DONE;
        },
        { prefetch: 1 },
      );

      await queue.publishJob({ memeId: 'meme-1' }, { correlationId: 'corr-1' });

      await eventually(() => expect(received).toHaveLength(1));
      expect(received[0]).toEqual({
        job: { memeId: 'meme-1' },
        headers: { correlationId: 'corr-1' },
        attempt: 1,
        redelivered: false,
        firstAttemptAt: expect.any(Number),
      });
      await consumer.stop();
      await sleep(100);
      expect(received).toHaveLength(1);
      expect(await queue.depth()).toBe(0);
      expect(await queue.deadLetterDepth()).toBe(0);
    });

    it('delivers jobs to a single consumer in the order they were published', async () => {
      const order: string[] = [];
      await queue.consumeJobs(
        async ({ job }) => {
          order.push(job.memeId);
          return DONE;
        },
        { prefetch: 1 },
      );

      for (const memeId of ['a', 'b', 'c', 'd']) await queue.publishJob({ memeId });

      await eventually(() => expect(order).toEqual(['a', 'b', 'c', 'd']));
    });

    it('never hands a consumer more than its prefetch of unsettled jobs', async () => {
      const release = gate();
      let active = 0;
      let mostActive = 0;
      const handled = new Set<string>();
      await queue.consumeJobs(
        async ({ job }) => {
          active++;
          mostActive = Math.max(mostActive, active);
          await release.promise;
          active--;
          handled.add(job.memeId);
          return DONE;
        },
        { prefetch: 2 },
      );

      for (let i = 0; i < 6; i++) await queue.publishJob({ memeId: `prefetch-${i}` });

      await eventually(() => expect(active).toBe(2));
      await sleep(150);
      expect(active).toBe(2);
      await eventually(async () => expect(await queue.depth()).toBe(4));
      release.resolve();
      await eventually(() => expect(handled.size).toBe(6));
      expect(mostActive).toBe(2);
    });

    it('shares waiting jobs between competing consumers', async () => {
      const release = gate();
      const byConsumer = [new Set<string>(), new Set<string>()];
      for (const seen of byConsumer) {
        await queue.consumeJobs(
          async ({ job }) => {
            seen.add(job.memeId);
            await release.promise;
            return DONE;
          },
          { prefetch: 1 },
        );
      }

      for (let i = 0; i < 4; i++) await queue.publishJob({ memeId: `shared-${i}` });

      await eventually(() => expect(byConsumer.map((seen) => seen.size)).toEqual([1, 1]));
      release.resolve();
      await eventually(() => expect(new Set(byConsumer.flatMap((seen) => [...seen])).size).toBe(4));
    });

    it('runs a retried job again as attempt 2, no sooner than its delay, keeping its headers', async () => {
      const deliveries: { received: ReceivedJob; at: number }[] = [];
      await queue.consumeJobs(
        async (received) => {
          deliveries.push({ received, at: performance.now() });
          return received.attempt === 1 ? { kind: 'retry', delayMs: 150, reason: 'template store busy' } : DONE;
        },
        { prefetch: 1 },
      );

      await queue.publishJob({ memeId: 'retry-1' }, { correlationId: 'corr-retry' });

      await eventually(() => expect(deliveries).toHaveLength(2));
      const [first, second] = deliveries;
      expect(first?.received.attempt).toBe(1);
      expect(second?.received).toMatchObject({
        job: { memeId: 'retry-1' },
        headers: { correlationId: 'corr-retry' },
        attempt: 2,
        // The retry keeps the time its first attempt began: handlers retry by a time budget.
        firstAttemptAt: first?.received.firstAttemptAt,
      });
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(140);
      await sleep(100);
      expect(deliveries).toHaveLength(2);
      expect(await queue.deadLetterDepth()).toBe(0);
    });

    it('moves a dead job to the dead-letter queue and does not run it again', async () => {
      let calls = 0;
      await queue.consumeJobs(
        async () => {
          calls++;
          return { kind: 'dead', reason: 'template does not exist' };
        },
        { prefetch: 1 },
      );

      await queue.publishJob({ memeId: 'dead-1' });

      await eventually(async () => expect(await queue.deadLetterDepth()).toBe(1));
      await sleep(150);
      expect(calls).toBe(1);
      expect(await queue.depth()).toBe(0);
    });

    it('runs a job again when its handler throws instead of returning an outcome', async () => {
      const attempts: number[] = [];
      const handler: JobHandler = async ({ attempt }) => {
        attempts.push(attempt);
        if (attempt === 1) throw new Error('renderer crashed');
        return DONE;
      };
      await queue.consumeJobs(handler, { prefetch: 1 });

      await queue.publishJob({ memeId: 'throws-1' });

      await eventually(() => expect(attempts).toEqual([1, 2]));
      expect(await queue.deadLetterDepth()).toBe(0);
    });

    it('a paused consumer finishes its job in flight, takes nothing new, and takes the waiting jobs once resumed', async () => {
      const started = deferred();
      const release = gate();
      const handled: string[] = [];
      const consumer = await queue.consumeJobs(
        async ({ job }) => {
          started.resolve();
          if (job.memeId === 'in-flight') await release.promise;
          handled.push(job.memeId);
          return DONE;
        },
        { prefetch: 2 },
      );
      await queue.publishJob({ memeId: 'in-flight' });
      await started.promise;

      await consumer.pause();
      expect(consumer.isPaused()).toBe(true);
      for (const memeId of ['parked-1', 'parked-2']) await queue.publishJob({ memeId });
      release.resolve();
      await eventually(() => expect(handled).toEqual(['in-flight']));
      await sleep(200);
      expect(handled).toEqual(['in-flight']);
      await eventually(async () => expect(await queue.depth()).toBe(2));

      await consumer.resume();
      expect(consumer.isPaused()).toBe(false);
      await eventually(() => expect(handled).toEqual(['in-flight', 'parked-1', 'parked-2']));
      expect(await queue.depth()).toBe(0);
    });

    it('stop() resolves only after jobs in flight have settled, and takes no new jobs', async () => {
      const started = deferred();
      const release = gate();
      const handled: string[] = [];
      const consumer = await queue.consumeJobs(
        async ({ job }) => {
          started.resolve();
          await release.promise;
          handled.push(job.memeId);
          return DONE;
        },
        { prefetch: 1 },
      );
      await queue.publishJob({ memeId: 'in-flight' });
      await started.promise;

      let stopped = false;
      const stopping = consumer.stop().then(() => {
        stopped = true;
      });
      await sleep(150);
      expect(stopped).toBe(false);
      release.resolve();
      await stopping;

      expect(handled).toEqual(['in-flight']);
      await queue.publishJob({ memeId: 'after-stop' });
      await sleep(150);
      expect(handled).toEqual(['in-flight']);
      await eventually(async () => expect(await queue.depth()).toBe(1));
    });

    it('delivers each event to every subscriber until it unsubscribes', async () => {
      const first: MemeRenderedEvent[] = [];
      const second: MemeRenderedEvent[] = [];
      const firstSubscription = await queue.subscribeEvents((event) => first.push(event));
      await queue.subscribeEvents((event) => second.push(event));
      const rendered: MemeRenderedEvent = { memeId: 'event-1', status: 'done', at: '2024-05-01T12:00:00.000Z' };

      await queue.publishEvent(rendered);

      await eventually(() => expect([first, second]).toEqual([[rendered], [rendered]]));
      await firstSubscription.unsubscribe();
      const failed: MemeRenderedEvent = { memeId: 'event-2', status: 'failed', at: '2024-05-01T12:00:01.000Z' };
      await queue.publishEvent(failed);
      await eventually(() => expect(second).toEqual([rendered, failed]));
      await sleep(100);
      expect(first).toEqual([rendered]);
    });

    it('keeps delivering events to other subscribers when one of them throws', async () => {
      const received: MemeRenderedEvent[] = [];
      await queue.subscribeEvents(() => {
        throw new Error('subscriber bug');
      });
      await queue.subscribeEvents((event) => received.push(event));
      const events: MemeRenderedEvent[] = [
        { memeId: 'event-a', status: 'done', at: '2024-05-01T12:00:00.000Z' },
        { memeId: 'event-b', status: 'done', at: '2024-05-01T12:00:01.000Z' },
      ];

      for (const event of events) await queue.publishEvent(event);

      await eventually(() => expect(received).toEqual(events));
    });

    it('counts only waiting jobs in depth, not those in flight', async () => {
      for (let i = 0; i < 3; i++) await queue.publishJob({ memeId: `depth-${i}` });
      await eventually(async () => expect(await queue.depth()).toBe(3));

      const started = deferred();
      const release = gate();
      await queue.consumeJobs(
        async () => {
          started.resolve();
          await release.promise;
          return DONE;
        },
        { prefetch: 1 },
      );
      await started.promise;

      await eventually(async () => expect(await queue.depth()).toBe(2));
      release.resolve();
      await eventually(async () => expect(await queue.depth()).toBe(0));
    });

    it('rejects a prefetch that is not a positive integer', async () => {
      await expect(queue.consumeJobs(async () => DONE, { prefetch: 0 })).rejects.toThrow(RangeError);
      await expect(queue.consumeJobs(async () => DONE, { prefetch: 1.5 })).rejects.toThrow(RangeError);
    });

    it('is ready once set up, and after close() is not ready and rejects new jobs', async () => {
      expect(queue.isReady()).toBe(true);
      await queue.setup();
      expect(queue.isReady()).toBe(true);

      await queue.close();

      expect(queue.isReady()).toBe(false);
      await expect(queue.publishJob({ memeId: 'too-late' })).rejects.toThrow(QueueUnavailableError);
    });
  });
}
