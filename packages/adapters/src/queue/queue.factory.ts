import { MemoryQueue } from './memory-queue.adapter.ts';
import type { Queue } from './queue.port.ts';
import type { QueueLog } from './queue-log.ts';

export interface QueueConfig {
  /** Set in distributed mode (`AMQP_URL`); without it the queue lives in the process (embedded mode). */
  readonly amqpUrl?: string;
  readonly prefix?: string;
  readonly retryDelaysMs?: readonly number[];
  readonly connectionName?: string;
}

/** The in-process queue, or RabbitMQ when `amqpUrl` is set; amqplib is imported only then. */
export async function createQueue(config: QueueConfig, log?: QueueLog): Promise<Queue> {
  if (config.amqpUrl === undefined || config.amqpUrl === '') return new MemoryQueue({ log });
  const { RabbitMqQueue } = await import('./rabbitmq-queue.adapter.ts');
  return new RabbitMqQueue({
    url: config.amqpUrl,
    prefix: config.prefix,
    retryDelaysMs: config.retryDelaysMs,
    connectionName: config.connectionName,
    log,
  });
}
