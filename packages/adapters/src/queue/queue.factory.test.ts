import { describe, expect, it } from 'vitest';
import { MemoryQueue } from './memory-queue.adapter.ts';
import { createQueue } from './queue.factory.ts';
import { RabbitMqQueue } from './rabbitmq-queue.adapter.ts';

describe('createQueue', () => {
  it('keeps jobs in memory when no AMQP URL is configured', async () => {
    expect(await createQueue({})).toBeInstanceOf(MemoryQueue);
    expect((await createQueue({ amqpUrl: '' })).kind).toBe('memory');
  });

  it('uses RabbitMQ with the configured prefix when an AMQP URL is configured', async () => {
    const queue = await createQueue({ amqpUrl: 'amqp://localhost', prefix: 'staging' });

    expect(queue).toBeInstanceOf(RabbitMqQueue);
    expect(queue.kind).toBe('rabbitmq');
    expect(queue instanceof RabbitMqQueue && queue.names.renderQueue).toBe('staging.render');
    expect(queue.isReady()).toBe(false);
  });

  it('rejects invalid retry delays at start-up rather than on the first retry', async () => {
    await expect(createQueue({ amqpUrl: 'amqp://localhost', retryDelaysMs: [] })).rejects.toThrow(RangeError);
  });
});
