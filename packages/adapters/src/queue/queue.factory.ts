import { MemoryQueue } from './memory-queue.adapter.ts';
import type { Queue } from './queue.port.ts';
import type { QueueLog } from './queue-log.ts';
import { RabbitMqQueue } from './rabbitmq-queue.adapter.ts';

export interface QueueConfig {
  /** Set in distributed mode (`AMQP_URL`); without it the queue lives in the process (embedded mode). */
  readonly amqpUrl?: string;
  readonly prefix?: string;
  readonly retryDelaysMs?: readonly number[];
  readonly connectionName?: string;
}

export function createQueue(config: QueueConfig, log?: QueueLog): Queue {
  if (config.amqpUrl === undefined || config.amqpUrl === '') return new MemoryQueue({ log });
  return new RabbitMqQueue({
    url: config.amqpUrl,
    prefix: config.prefix,
    retryDelaysMs: config.retryDelaysMs,
    connectionName: config.connectionName,
    log,
  });
}
