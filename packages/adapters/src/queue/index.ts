export { type DeadLetter, MemoryQueue, type MemoryQueueOptions } from './memory-queue.adapter.ts';
export { createQueue, type QueueConfig } from './queue.factory.ts';
export type * from './queue.port.ts';
export { QueueUnavailableError } from './queue-errors.ts';
export type { QueueLog, QueueLogLevel } from './queue-log.ts';
// RabbitMQ itself is `@memelab/adapters/rabbitmq`, so that importing this loads no amqplib.
export type { RabbitMqQueueOptions } from './rabbitmq-queue.adapter.ts';
export {
  DEFAULT_DELIVERY_LIMIT,
  type DelayLevel,
  delayLevelFor,
  deleteRabbitTopology,
  QueueTopologyError,
  queueDeclarations,
  type RabbitTopology,
  rabbitTopology,
} from './rabbitmq-topology.ts';
