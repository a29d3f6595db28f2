import type { Channel } from 'amqplib';

export const RENDER_ROUTING_KEY = 'render';
export const MEME_RENDERED_ROUTING_KEY = 'meme.rendered';

/** One delay queue: messages wait `delayMs` in `queue`, then expire back into the jobs exchange. */
export interface DelayLevel {
  readonly delayMs: number;
  readonly queue: string;
}

/** Names of everything the RabbitMQ queue declares, all under one prefix. */
export interface RabbitTopology {
  readonly jobsExchange: string;
  readonly renderQueue: string;
  readonly deadLetterExchange: string;
  readonly deadLetterQueue: string;
  readonly eventsExchange: string;
  /** Ascending by delay; never empty. */
  readonly delayLevels: readonly DelayLevel[];
}

const PREFIX_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function rabbitTopology(prefix: string, retryDelaysMs: readonly number[]): RabbitTopology {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new RangeError(`queue prefix must be 1-100 letters, digits, '.', '_' or '-', got '${prefix}'`);
  }
  const renderQueue = `${prefix}.render`;
  return {
    jobsExchange: `${prefix}.jobs`,
    renderQueue,
    deadLetterExchange: `${prefix}.dlx`,
    deadLetterQueue: `${renderQueue}.dead`,
    eventsExchange: `${prefix}.events`,
    delayLevels: normalizeDelays(retryDelaysMs).map((delayMs) => ({
      delayMs,
      queue: `${renderQueue}.delay.${delayMs}`,
    })),
  };
}

function normalizeDelays(retryDelaysMs: readonly number[]): number[] {
  const invalid = retryDelaysMs.find((delay) => !Number.isInteger(delay) || delay < 1);
  if (retryDelaysMs.length === 0 || invalid !== undefined) {
    throw new RangeError(`retry delays must be a non-empty list of positive integers (ms), got [${retryDelaysMs}]`);
  }
  return [...new Set(retryDelaysMs)].sort((a, b) => a - b);
}

/**
 * The delay queue for a retry: the shortest level that waits at least `delayMs`, or the longest
 * level when none does. Fixed levels (one TTL per queue) keep a long delay from holding up
 * shorter ones behind it, which per-message TTLs in a single queue would do.
 */
export function delayLevelFor(topology: RabbitTopology, delayMs: number): DelayLevel {
  const levels = topology.delayLevels;
  const level = levels.find((candidate) => candidate.delayMs >= delayMs) ?? levels[levels.length - 1];
  if (level === undefined) throw new RangeError('topology has no delay levels');
  return level;
}

/** Declares exchanges, queues and bindings; safe to repeat (after every reconnect). */
export async function assertRabbitTopology(channel: Channel, topology: RabbitTopology): Promise<void> {
  await channel.assertExchange(topology.jobsExchange, 'direct', { durable: true });
  await channel.assertExchange(topology.deadLetterExchange, 'fanout', { durable: true });
  await channel.assertExchange(topology.eventsExchange, 'topic', { durable: true });

  await channel.assertQueue(topology.renderQueue, {
    durable: true,
    deadLetterExchange: topology.deadLetterExchange,
  });
  await channel.bindQueue(topology.renderQueue, topology.jobsExchange, RENDER_ROUTING_KEY);

  await channel.assertQueue(topology.deadLetterQueue, { durable: true });
  await channel.bindQueue(topology.deadLetterQueue, topology.deadLetterExchange, '');

  for (const level of topology.delayLevels) {
    await channel.assertQueue(level.queue, {
      durable: true,
      messageTtl: level.delayMs,
      deadLetterExchange: topology.jobsExchange,
      deadLetterRoutingKey: RENDER_ROUTING_KEY,
    });
  }
}

/** Removes everything `assertRabbitTopology` declared, messages included (test clean-up, teardown). */
export async function deleteRabbitTopology(channel: Channel, topology: RabbitTopology): Promise<void> {
  const queues = [topology.renderQueue, topology.deadLetterQueue, ...topology.delayLevels.map((level) => level.queue)];
  for (const queue of queues) await channel.deleteQueue(queue);
  for (const exchange of [topology.jobsExchange, topology.deadLetterExchange, topology.eventsExchange]) {
    await channel.deleteExchange(exchange);
  }
}
