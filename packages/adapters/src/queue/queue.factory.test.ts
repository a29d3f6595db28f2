import { describe, expect, it } from 'vitest';
import { MemoryQueue } from './memory-queue.adapter.ts';
import { createQueue } from './queue.factory.ts';
import { RabbitMqQueue, redactUrl } from './rabbitmq-queue.adapter.ts';

describe('createQueue', () => {
  it('keeps jobs in memory when no AMQP URL is configured', () => {
    expect(createQueue({})).toBeInstanceOf(MemoryQueue);
    expect(createQueue({ amqpUrl: '' }).kind).toBe('memory');
  });

  it('uses RabbitMQ with the configured prefix when an AMQP URL is configured', () => {
    const queue = createQueue({ amqpUrl: 'amqp://localhost', prefix: 'staging' });

    expect(queue).toBeInstanceOf(RabbitMqQueue);
    expect(queue.kind).toBe('rabbitmq');
    expect(queue instanceof RabbitMqQueue && queue.names.renderQueue).toBe('staging.render');
    expect(queue.isReady()).toBe(false);
  });

  it('rejects invalid retry delays at start-up rather than on the first retry', () => {
    expect(() => createQueue({ amqpUrl: 'amqp://localhost', retryDelaysMs: [] })).toThrow(RangeError);
  });
});

describe('redactUrl', () => {
  it('hides the password of an AMQP URL', () => {
    expect(redactUrl('amqp://worker:s3cret@rabbit:5672/memelab')).toBe('amqp://worker:***@rabbit:5672/memelab');
  });

  it('does not echo a URL it cannot parse', () => {
    expect(redactUrl('not a url with password:s3cret')).toBe('<invalid AMQP URL>');
  });
});
