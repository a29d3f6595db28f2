import type { Channel, ChannelModel, Options } from 'amqplib';

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

/** Deliveries of one job message (the first included) before the broker dead-letters it. */
export const DEFAULT_DELIVERY_LIMIT = 10;

export interface QueueDeclaration {
  readonly queue: string;
  readonly options: Options.AssertQueue;
}

/**
 * The queues, all quorum queues: replicated by Raft across a RabbitMQ cluster, so jobs survive
 * the loss of a node (classic mirrored queues are gone in RabbitMQ 4). The render queue has a
 * delivery limit: a job whose deliveries keep dying with their consumer (a crash, an OOM kill)
 * is dead-lettered after `deliveryLimit` deliveries instead of taking workers down forever.
 * Queues that dead-letter into the pipeline (the render queue into the dead-letter queue, the
 * delay queues back into the render queue) do so at least once, which quorum queues need to be
 * told, together with rejecting publishes rather than dropping messages when full.
 */
export function queueDeclarations(
  topology: RabbitTopology,
  deliveryLimit = DEFAULT_DELIVERY_LIMIT,
): QueueDeclaration[] {
  if (!Number.isInteger(deliveryLimit) || deliveryLimit < 1) {
    throw new RangeError(`delivery limit must be a positive integer, got ${deliveryLimit}`);
  }
  const quorum = { 'x-queue-type': 'quorum' };
  const atLeastOnceDeadLettering = { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' };
  return [
    {
      queue: topology.renderQueue,
      options: {
        durable: true,
        deadLetterExchange: topology.deadLetterExchange,
        arguments: { ...quorum, ...atLeastOnceDeadLettering, 'x-delivery-limit': deliveryLimit },
      },
    },
    { queue: topology.deadLetterQueue, options: { durable: true, arguments: { ...quorum } } },
    ...topology.delayLevels.map((level) => ({
      queue: level.queue,
      options: {
        durable: true,
        messageTtl: level.delayMs,
        deadLetterExchange: topology.jobsExchange,
        deadLetterRoutingKey: RENDER_ROUTING_KEY,
        arguments: { ...quorum, ...atLeastOnceDeadLettering },
      },
    })),
  ];
}

/**
 * A queue of this name exists with other arguments, typically a classic queue from an older
 * install, and could not be migrated by itself. Not worth retrying: an operator must act.
 */
export class QueueTopologyError extends Error {
  override readonly name = 'QueueTopologyError';
  readonly retryable = false;
}

export type TopologyLog = (level: 'info' | 'warn', message: string, extra?: Record<string, unknown>) => void;

/**
 * Declares exchanges, queues and bindings; safe to repeat (after every reconnect). Uses
 * channels of its own, since a declaration that conflicts with an existing queue closes its
 * channel. A conflicting queue that is empty and unused (a classic queue left by an older
 * install) is replaced by the quorum queue; one that still holds jobs or has consumers is
 * reported with what to do, because deleting it would lose jobs.
 */
export async function assertRabbitTopology(
  connection: ChannelModel,
  topology: RabbitTopology,
  options: { readonly deliveryLimit?: number; readonly log?: TopologyLog } = {},
): Promise<void> {
  const declarations = queueDeclarations(topology, options.deliveryLimit);
  await withChannel(connection, async (channel) => {
    await channel.assertExchange(topology.jobsExchange, 'direct', { durable: true });
    await channel.assertExchange(topology.deadLetterExchange, 'fanout', { durable: true });
    await channel.assertExchange(topology.eventsExchange, 'topic', { durable: true });
  });
  for (const declaration of declarations) {
    await declareQueue(connection, declaration, options.log);
  }
  await withChannel(connection, async (channel) => {
    await channel.bindQueue(topology.renderQueue, topology.jobsExchange, RENDER_ROUTING_KEY);
    await channel.bindQueue(topology.deadLetterQueue, topology.deadLetterExchange, '');
  });
}

async function declareQueue(connection: ChannelModel, declaration: QueueDeclaration, log?: TopologyLog): Promise<void> {
  const { queue, options } = declaration;
  try {
    await withChannel(connection, (channel) => channel.assertQueue(queue, options));
    return;
  } catch (error) {
    if (!isPreconditionFailed(error)) throw error;
    const { messageCount, consumerCount } = await withChannel(connection, (channel) => channel.checkQueue(queue));
    if (messageCount > 0 || consumerCount > 0) {
      throw new QueueTopologyError(
        `RabbitMQ queue '${queue}' exists with other arguments than memelab declares (a classic queue from an ` +
          `older install: memelab now uses quorum queues) and still has ${messageCount} messages and ` +
          `${consumerCount} consumers, so it is not replaced automatically. Stop the old workers and let them ` +
          `drain it, or move its messages (a shovel), then delete it (rabbitmqctl delete_queue '${queue}' ` +
          `--vhost <vhost>) and start again; or use a new AMQP_PREFIX. Broker said: ${errorText(error)}`,
        { cause: error },
      );
    }
    // Empty and unused: replace it. ifEmpty/ifUnused make the broker refuse if a job or a
    // consumer arrived since the check, so nothing is lost in the race.
    await withChannel(connection, (channel) => channel.deleteQueue(queue, { ifEmpty: true, ifUnused: true }));
    await withChannel(connection, (channel) => channel.assertQueue(queue, options));
    log?.('info', 'replaced an empty queue of an older install with a quorum queue', { queue });
  }
}

async function withChannel<T>(connection: ChannelModel, work: (channel: Channel) => Promise<T>): Promise<T> {
  const channel = await connection.createChannel();
  // A declaration the broker refuses closes the channel with an error; the call rejects with it.
  channel.on('error', () => undefined);
  try {
    return await work(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

function isPreconditionFailed(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 406;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Removes everything `assertRabbitTopology` declared, messages included (test clean-up, teardown). */
export async function deleteRabbitTopology(channel: Channel, topology: RabbitTopology): Promise<void> {
  const queues = [topology.renderQueue, topology.deadLetterQueue, ...topology.delayLevels.map((level) => level.queue)];
  for (const queue of queues) await channel.deleteQueue(queue);
  for (const exchange of [topology.jobsExchange, topology.deadLetterExchange, topology.eventsExchange]) {
    await channel.deleteExchange(exchange);
  }
}
