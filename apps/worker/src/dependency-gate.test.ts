import { MemoryQueue } from '@memelab/adapters';
import { createLogger } from '@memelab/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { DependencyGate } from './dependency-gate.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const queues: MemoryQueue[] = [];

afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
});

const setUp = async () => {
  const queue = new MemoryQueue();
  queues.push(queue);
  const handled: string[] = [];
  const consumer = await queue.consumeJobs(
    async ({ job }) => {
      handled.push(job.memeId);
      return { kind: 'done' };
    },
    { prefetch: 1 },
  );
  let storeUp = true;
  const changes: boolean[] = [];
  const gate = new DependencyGate({
    checks: [
      { name: 'database', check: () => undefined },
      {
        name: 'objects',
        check: () => {
          if (!storeUp) throw new Error('connect ECONNREFUSED');
        },
      },
    ],
    consumer,
    intervalMs: 60_000,
    timeoutMs: 100,
    logger,
    onChange: (consuming) => changes.push(consuming),
  });
  return { queue, consumer, gate, handled, changes, setStore: (up: boolean) => (storeUp = up) };
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('dependency gate', () => {
  it('stops taking jobs while a dependency is down and takes the waiting ones once it answers', async () => {
    const { queue, consumer, gate, handled, changes, setStore } = await setUp();
    setStore(false);
    await gate.check();
    expect(consumer.isPaused()).toBe(true);

    await queue.publishJob({ memeId: 'waits' });
    await settle();
    expect(handled).toEqual([]);
    expect(await queue.depth()).toBe(1);

    setStore(true);
    await gate.check();
    await settle();
    expect(consumer.isPaused()).toBe(false);
    expect(handled).toEqual(['waits']);
    expect(changes).toEqual([false, true]);
  });

  it('counts a check that does not answer in time as down', async () => {
    const queue = new MemoryQueue();
    queues.push(queue);
    const consumer = await queue.consumeJobs(async () => ({ kind: 'done' }), { prefetch: 1 });
    const gate = new DependencyGate({
      checks: [{ name: 'objects', check: () => new Promise<void>(() => undefined) }],
      consumer,
      intervalMs: 60_000,
      timeoutMs: 50,
      logger,
    });
    await gate.check();
    expect(consumer.isPaused()).toBe(true);
  });

  it('leaves a healthy consumer alone', async () => {
    const { consumer, gate, changes } = await setUp();
    await gate.check();
    expect(consumer.isPaused()).toBe(false);
    expect(changes).toEqual([]);
  });

  it('checks again by itself while paused, and resumes once the dependency answers', async () => {
    const queue = new MemoryQueue();
    queues.push(queue);
    const consumer = await queue.consumeJobs(async () => ({ kind: 'done' }), { prefetch: 1 });
    let up = false;
    let checks = 0;
    const gate = new DependencyGate({
      checks: [
        {
          name: 'objects',
          check: () => {
            checks++;
            if (!up) throw new Error('connect ECONNREFUSED');
          },
        },
      ],
      consumer,
      intervalMs: 20,
      logger,
    });
    await gate.check();
    expect(consumer.isPaused()).toBe(true);
    up = true;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(consumer.isPaused()).toBe(false);
    // Healthy again: no more checks until a render fails.
    const settled = checks;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(checks).toBe(settled);
    await gate.stop();
  });
});
