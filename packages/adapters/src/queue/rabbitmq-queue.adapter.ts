import { type Channel, type ChannelModel, type ConsumeMessage, connect } from 'amqplib';
import { redactUrl } from '../redact-url.ts';
import type {
  ConsumeOptions,
  Consumer,
  JobHandler,
  JobHeaders,
  JobOutcome,
  MemeRenderedEvent,
  Queue,
  ReceivedJob,
  RenderJob,
  Subscription,
} from './queue.port.ts';
import { QueueUnavailableError } from './queue-errors.ts';
import { errorMessage, type QueueLog, silentQueueLog } from './queue-log.ts';
import { assertValidPrefetch } from './queue-validation.ts';
import { type AttachmentHooks, type DeliveryChannel, EventSubscription, JobConsumer } from './rabbitmq-consumers.ts';
import {
  type AmqpHeaders,
  decodeJob,
  encodeEvent,
  encodeJob,
  HEADER_DEATH_REASON,
  HEADER_FIRST_ATTEMPT_AT,
  HEADER_RETRY_REASON,
  jobMessageHeaders,
} from './rabbitmq-messages.ts';
import { ConfirmedPublisher } from './rabbitmq-publisher.ts';
import {
  assertRabbitTopology,
  delayLevelFor,
  MEME_RENDERED_ROUTING_KEY,
  QueueTopologyError,
  type RabbitTopology,
  RENDER_ROUTING_KEY,
  rabbitTopology,
} from './rabbitmq-topology.ts';
import { coalesceWrites } from './rabbitmq-write-coalescing.ts';

export interface RabbitMqQueueOptions {
  /** `amqp://user:password@host:5672/vhost`; query parameters such as `heartbeat` pass through. */
  readonly url: string;
  /** Prefix of every exchange and queue name, so several deployments can share a broker. Default `memelab`. */
  readonly prefix?: string;
  /** Delay queue levels in ms; a retry waits in the shortest level at least as long as asked. */
  readonly retryDelaysMs?: readonly number[];
  /** Shown by the broker (`rabbitmqctl list_connections client_properties`) to tell connections apart. */
  readonly connectionName?: string;
  readonly log?: QueueLog;
  readonly reconnect?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /** How long calls wait for a reconnect in progress before rejecting with `QueueUnavailableError`. */
  readonly unavailableWaitMs?: number;
  /** Deliveries of one job before the broker dead-letters it (the quorum queue's `x-delivery-limit`). */
  readonly deliveryLimit?: number;
}

/** A connection that is fully set up: topology declared, consumers and subscriptions attached. */
interface Link {
  readonly connection: ChannelModel;
  readonly publisher: ConfirmedPublisher;
  /**
   * Events go out on a channel without publisher confirms: they are best effort (a lost one
   * only delays a page until its next poll), so neither the broker nor the worker should pay
   * a confirm, and a worker need not wait a round trip per job before acknowledging it.
   */
  readonly events: Channel;
}

const DEFAULT_PREFIX = 'memelab';
const DEFAULT_RETRY_DELAYS_MS = [1000, 5000, 30_000] as const;
const DEFAULT_INITIAL_RECONNECT_DELAY_MS = 250;
const DEFAULT_MAX_RECONNECT_DELAY_MS = 10_000;
const DEFAULT_UNAVAILABLE_WAIT_MS = 5000;
/** A publisher confirm not back within this long means the channel is wedged, not slow. */
const CONFIRM_TIMEOUT_MS = 10_000;

class ConfirmTimeoutError extends Error {}

const withConfirmTimeout = async <T>(confirmed: Promise<T>, timeoutMs: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      confirmed,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ConfirmTimeoutError(`no publisher confirm within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};
const CONNECT_TIMEOUT_MS = 5000;
/** Reasons end up in AMQP headers, whose encoded table is limited to 64 KiB. */
const MAX_REASON_LENGTH = 1000;
const JSON_CONTENT_TYPE = 'application/json';

/**
 * The queue for distributed mode. Jobs are persistent and published with confirms; workers
 * consume with prefetch and manual acks, so a worker that dies returns its unacked jobs.
 * Retries wait in per-delay TTL queues that dead-letter back into the jobs exchange; dead
 * jobs go to a dead-letter queue with their reason. A lost connection is re-established
 * with exponential backoff and jitter, and topology, consumers and subscriptions come back
 * with it, until `close()`.
 */
export class RabbitMqQueue implements Queue {
  readonly kind = 'rabbitmq';

  private readonly url: string;
  private readonly connectionName: string | undefined;
  private readonly topology: RabbitTopology;
  private readonly log: QueueLog;
  private readonly initialReconnectDelayMs: number;
  private readonly maxReconnectDelayMs: number;
  private readonly unavailableWaitMs: number;
  private readonly deliveryLimit: number | undefined;
  private readonly consumers = new Set<JobConsumer>();
  private readonly subscriptions = new Set<EventSubscription>();
  private readonly linkWaiters = new Set<() => void>();
  private readonly hooks: AttachmentHooks;
  private link: Link | undefined;
  private establishing: Promise<void> | undefined;
  private recovery: Promise<void> | undefined;
  private cancelBackoff: (() => void) | undefined;
  private closed = false;

  constructor(options: RabbitMqQueueOptions) {
    this.url = options.url;
    this.connectionName = options.connectionName;
    this.topology = rabbitTopology(options.prefix ?? DEFAULT_PREFIX, options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS);
    this.log = options.log ?? silentQueueLog;
    this.initialReconnectDelayMs = options.reconnect?.initialDelayMs ?? DEFAULT_INITIAL_RECONNECT_DELAY_MS;
    this.maxReconnectDelayMs = Math.max(
      this.initialReconnectDelayMs,
      options.reconnect?.maxDelayMs ?? DEFAULT_MAX_RECONNECT_DELAY_MS,
    );
    this.unavailableWaitMs = options.unavailableWaitMs ?? DEFAULT_UNAVAILABLE_WAIT_MS;
    this.deliveryLimit = options.deliveryLimit;
    this.hooks = {
      log: this.log,
      lost: (connection, what) => this.onChannelLost(connection, what),
      stopped: (owner) => {
        if (owner instanceof JobConsumer) this.consumers.delete(owner);
        else if (owner instanceof EventSubscription) this.subscriptions.delete(owner);
      },
    };
  }

  /** Names of the exchanges and queues this queue declares. */
  get names(): RabbitTopology {
    return this.topology;
  }

  /**
   * Connects and declares the topology. Rejects with `QueueUnavailableError` when the broker
   * cannot be reached; once it has succeeded, the queue keeps itself connected until `close()`.
   */
  async setup(): Promise<void> {
    this.assertNotClosed();
    const link = this.link;
    if (link !== undefined) {
      await this.declareTopology(link.connection);
      return;
    }
    if (this.recovery !== undefined) {
      await this.waitForLink(this.unavailableWaitMs);
      return;
    }
    this.establishing ??= this.establish().finally(() => {
      this.establishing = undefined;
    });
    try {
      await this.establishing;
    } catch (error) {
      // A queue that conflicts with ours will not go away by retrying: the operator must act.
      if (error instanceof QueueTopologyError) throw error;
      throw new QueueUnavailableError(`cannot connect to RabbitMQ at ${redactUrl(this.url)}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }

  private declareTopology(connection: ChannelModel): Promise<void> {
    return assertRabbitTopology(connection, this.topology, {
      ...(this.deliveryLimit === undefined ? {} : { deliveryLimit: this.deliveryLimit }),
      log: this.log,
    });
  }

  async publishJob(job: RenderJob, headers: JobHeaders = {}): Promise<void> {
    const deadline = Date.now() + this.unavailableWaitMs;
    const content = encodeJob(job);
    const options = {
      persistent: true,
      mandatory: true,
      contentType: JSON_CONTENT_TYPE,
      timestamp: unixSeconds(),
      headers: jobMessageHeaders(headers, 1),
    };
    for (;;) {
      const link = await this.waitForLink(deadline - Date.now());
      try {
        await withConfirmTimeout(
          link.publisher.publish(this.topology.jobsExchange, RENDER_ROUTING_KEY, content, options),
          CONFIRM_TIMEOUT_MS,
        );
        return;
      } catch (error) {
        if (error instanceof ConfirmTimeoutError) {
          // A channel that neither confirms nor closes (seen after a broker restart) would hold
          // every publish forever: treat it as lost, reconnect, and publish again.
          this.dropLink(link, error.message);
        } else if (link.publisher.isOpen()) {
          throw new Error(`RabbitMQ refused job ${job.memeId}: ${errorMessage(error)}`, { cause: error });
        }
        // The connection went down before the broker confirmed: publish again once reconnected
        // (at-least-once; a duplicate job is harmless because rendering is idempotent).
        if (!(error instanceof ConfirmTimeoutError)) this.dropLink(link, 'publishing channel closed');
        if (Date.now() >= deadline) {
          throw new QueueUnavailableError(`RabbitMQ connection lost before job ${job.memeId} was confirmed`, {
            cause: error,
          });
        }
        this.log('info', 'connection lost before a job was confirmed; publishing it again after reconnecting', {
          memeId: job.memeId,
        });
      }
    }
  }

  async consumeJobs(handler: JobHandler, options: ConsumeOptions): Promise<Consumer> {
    assertValidPrefetch(options.prefetch);
    const link = await this.waitForLink(this.unavailableWaitMs);
    const consumer = new JobConsumer(
      this.topology.renderQueue,
      options.prefetch,
      (channel, message) => this.processDelivery(handler, channel, message),
      this.hooks,
    );
    await this.attachOrDefer(consumer, this.consumers, link);
    return consumer;
  }

  async publishEvent(event: MemeRenderedEvent): Promise<void> {
    const link = await this.waitForLink(this.unavailableWaitMs);
    // Returns false when the socket's buffer is full; the event is queued all the same.
    link.events.publish(this.topology.eventsExchange, MEME_RENDERED_ROUTING_KEY, encodeEvent(event), {
      contentType: JSON_CONTENT_TYPE,
      timestamp: unixSeconds(),
    });
  }

  async subscribeEvents(handler: (event: MemeRenderedEvent) => void): Promise<Subscription> {
    const link = await this.waitForLink(this.unavailableWaitMs);
    const subscription = new EventSubscription(this.topology.eventsExchange, handler, this.hooks);
    await this.attachOrDefer(subscription, this.subscriptions, link);
    return subscription;
  }

  async depth(): Promise<number> {
    return this.messageCount(this.topology.renderQueue);
  }

  async deadLetterDepth(): Promise<number> {
    return this.messageCount(this.topology.deadLetterQueue);
  }

  isReady(): boolean {
    return this.link !== undefined;
  }

  /** Stops consumers (their jobs in flight are settled first), subscriptions and reconnecting; final. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelBackoff?.();
    this.wakeLinkWaiters();
    await Promise.allSettled([
      ...[...this.consumers].map((consumer) => consumer.stop()),
      ...[...this.subscriptions].map((subscription) => subscription.unsubscribe()),
    ]);
    await Promise.allSettled([this.recovery, this.establishing]);
    const link = this.link;
    this.link = undefined;
    if (link !== undefined) await this.closeConnection(link.connection);
  }

  private assertNotClosed(): void {
    if (this.closed) throw new QueueUnavailableError('the RabbitMQ queue is closed');
  }

  /**
   * Registers first, so a reconnect that happens meanwhile attaches it too. A failure caused by
   * losing the connection is left to that reconnect; any other failure is the caller's.
   */
  private async attachOrDefer<T extends JobConsumer | EventSubscription>(
    owner: T,
    registry: Set<T>,
    link: Link,
  ): Promise<void> {
    registry.add(owner);
    try {
      await owner.attach(link.connection);
    } catch (error) {
      if (this.link === link && !this.closed) {
        registry.delete(owner);
        throw error;
      }
      this.log('info', 'connection lost while attaching; it attaches again after reconnecting', {
        error: errorMessage(error),
      });
    }
  }

  private async messageCount(queue: string): Promise<number> {
    const link = await this.waitForLink(this.unavailableWaitMs);
    // A separate channel: checking a missing queue closes the channel, which must not be the publisher's.
    const channel = await link.connection.createChannel();
    channel.on('error', (error: Error) =>
      this.log('warn', 'RabbitMQ queue check failed', { queue, error: error.message }),
    );
    try {
      return (await channel.checkQueue(queue)).messageCount;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  private async processDelivery(handler: JobHandler, channel: DeliveryChannel, message: ConsumeMessage): Promise<void> {
    const decoded = decodeJob(message);
    if (!decoded.ok) {
      this.log('warn', 'moving a malformed job message to the dead-letter queue', { reason: decoded.reason });
      await this.forward(channel, message, this.topology.deadLetterQueue, message.content, {
        [HEADER_DEATH_REASON]: decoded.reason,
      });
      return;
    }
    const { firstAttemptAt, ...job } = decoded.value;
    const received: ReceivedJob = {
      ...job,
      firstAttemptAt: firstAttemptAt ?? Date.now(),
      redelivered: message.fields.redelivered,
    };
    const outcome = await this.outcomeOf(handler, received);
    await this.settle(channel, message, received, outcome);
  }

  private async outcomeOf(handler: JobHandler, received: ReceivedJob): Promise<JobOutcome> {
    try {
      return await handler(received);
    } catch (error) {
      this.log('warn', 'job handler threw; retrying the job', {
        memeId: received.job.memeId,
        error: errorMessage(error),
      });
      const shortest = this.topology.delayLevels[0]?.delayMs ?? 0;
      return { kind: 'retry', delayMs: shortest, reason: `handler threw: ${errorMessage(error)}` };
    }
  }

  private async settle(
    channel: DeliveryChannel,
    message: ConsumeMessage,
    received: ReceivedJob,
    outcome: JobOutcome,
  ): Promise<void> {
    switch (outcome.kind) {
      case 'done':
        channel.ack(message);
        return;
      case 'retry': {
        const level = delayLevelFor(this.topology, outcome.delayMs);
        const headers = jobMessageHeaders(received.headers, received.attempt + 1, {
          [HEADER_RETRY_REASON]: truncate(outcome.reason),
          [HEADER_FIRST_ATTEMPT_AT]: received.firstAttemptAt,
        });
        await this.forward(channel, message, level.queue, encodeJob(received.job), headers);
        return;
      }
      case 'dead': {
        const headers = jobMessageHeaders(received.headers, received.attempt, {
          [HEADER_DEATH_REASON]: truncate(outcome.reason),
        });
        await this.forward(channel, message, this.topology.deadLetterQueue, encodeJob(received.job), headers);
        return;
      }
    }
  }

  /**
   * Stores a copy in `queue` (confirmed), then acks the original. If the copy cannot be stored
   * the original goes back to the queue instead, so the job is never lost, only repeated.
   */
  private async forward(
    channel: DeliveryChannel,
    message: ConsumeMessage,
    queue: string,
    content: Buffer,
    headers: AmqpHeaders,
  ): Promise<void> {
    // On a closed channel the broker has already returned the original; a copy would duplicate it.
    if (!channel.isOpen()) return;
    const link = this.link;
    try {
      if (link === undefined || link.connection !== channel.connection) throw new Error('not connected');
      await link.publisher.publish('', queue, content, {
        persistent: true,
        mandatory: true,
        contentType: JSON_CONTENT_TYPE,
        timestamp: unixSeconds(),
        headers,
      });
      channel.ack(message);
    } catch (error) {
      this.log('warn', `could not move a job to ${queue}; returning it to the queue`, { error: errorMessage(error) });
      channel.requeue(message);
    }
  }

  private async waitForLink(timeoutMs: number): Promise<Link> {
    this.assertNotClosed();
    if (this.link !== undefined) return this.link;
    if (this.recovery === undefined && this.establishing === undefined) {
      throw new QueueUnavailableError('not connected to RabbitMQ: setup() has not succeeded');
    }
    if (timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.linkWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, timeoutMs);
        this.linkWaiters.add(wake);
      });
    }
    this.assertNotClosed();
    if (this.link !== undefined) return this.link;
    throw new QueueUnavailableError(
      `RabbitMQ at ${redactUrl(this.url)} is unreachable (not reconnected within ${Math.max(0, timeoutMs)} ms)`,
    );
  }

  private wakeLinkWaiters(): void {
    for (const wake of [...this.linkWaiters]) wake();
  }

  private async establish(): Promise<void> {
    const connection = await connect(this.url, {
      timeout: CONNECT_TIMEOUT_MS,
      clientProperties: this.connectionName === undefined ? {} : { connection_name: this.connectionName },
    });
    coalesceWrites(connection);
    let alive = true;
    connection.on('error', (error: Error) => this.log('warn', 'RabbitMQ connection error', { error: error.message }));
    connection.on('close', (error?: Error) => {
      alive = false;
      this.onConnectionClosed(connection, error);
    });
    connection.on('blocked', (reason: string) => this.log('warn', 'RabbitMQ blocked publishing', { reason }));
    connection.on('unblocked', () => this.log('info', 'RabbitMQ unblocked publishing'));
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) =>
        this.log('warn', 'RabbitMQ publishing channel error', { error: error.message }),
      );
      channel.on('close', () => this.onChannelLost(connection, 'publishing channel'));
      const publisher = new ConfirmedPublisher(channel);
      const events = await connection.createChannel();
      events.on('error', (error: Error) => this.log('warn', 'RabbitMQ events channel error', { error: error.message }));
      events.on('close', () => this.onChannelLost(connection, 'events channel'));
      await this.declareTopology(connection);
      for (const consumer of this.consumers) await consumer.attach(connection);
      for (const subscription of this.subscriptions) await subscription.attach(connection);
      if (this.closed) throw new QueueUnavailableError('the RabbitMQ queue was closed while connecting');
      if (!alive || !publisher.isOpen() || !this.everythingAttachedTo(connection)) {
        throw new Error('the connection closed while it was being set up');
      }
      this.link = { connection, publisher, events };
      this.wakeLinkWaiters();
    } catch (error) {
      await this.closeConnection(connection);
      throw error;
    }
  }

  private everythingAttachedTo(connection: ChannelModel): boolean {
    return (
      [...this.consumers].every((consumer) => consumer.isStopped() || consumer.isAttachedTo(connection)) &&
      [...this.subscriptions].every((subscription) => subscription.isStopped() || subscription.isAttachedTo(connection))
    );
  }

  private onConnectionClosed(connection: ChannelModel, error: Error | undefined): void {
    const link = this.link;
    if (link?.connection === connection) this.dropLink(link, error?.message ?? 'connection closed');
  }

  /**
   * Deferred, because a dying connection closes its channels just before it reports its own
   * close; by then the connection's reason has been logged and this becomes a no-op.
   */
  private onChannelLost(connection: ChannelModel, what: string): void {
    queueMicrotask(() => {
      const link = this.link;
      if (link?.connection === connection) this.dropLink(link, `${what} closed unexpectedly`);
    });
  }

  private dropLink(link: Link, reason: string): void {
    if (this.link !== link) return;
    this.link = undefined;
    if (this.closed) return;
    this.log('warn', 'lost the RabbitMQ connection; reconnecting', { reason });
    void link.connection.close().catch(() => undefined);
    this.startRecovery();
  }

  private startRecovery(): void {
    if (this.recovery !== undefined || this.closed) return;
    const recovery = this.reconnect().finally(() => {
      this.recovery = undefined;
      // A loss right after reconnecting may have found the previous recovery still finishing.
      if (this.link === undefined && !this.closed) this.startRecovery();
    });
    this.recovery = recovery;
    void recovery.catch((error: unknown) =>
      this.log('error', 'reconnecting to RabbitMQ stopped', { error: errorMessage(error) }),
    );
  }

  private async reconnect(): Promise<void> {
    let delayMs = this.initialReconnectDelayMs;
    for (let attempt = 1; !this.closed; attempt++) {
      await this.backoff(withJitter(delayMs));
      if (this.closed) return;
      try {
        await this.establish();
        this.log('info', 'reconnected to RabbitMQ', { attempt });
        return;
      } catch (error) {
        this.log('warn', 'reconnecting to RabbitMQ failed', { attempt, error: errorMessage(error) });
        delayMs = Math.min(delayMs * 2, this.maxReconnectDelayMs);
      }
    }
  }

  private backoff(delayMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.cancelBackoff = undefined;
        resolve();
      };
      const timer = setTimeout(wake, delayMs);
      this.cancelBackoff = wake;
    });
  }

  private async closeConnection(connection: ChannelModel): Promise<void> {
    try {
      await connection.close();
    } catch {
      // Already closed (by the broker or a failed socket): nothing left to release.
    }
  }
}

/** ±20 %, so many workers losing the same broker do not reconnect in lockstep. */
function withJitter(delayMs: number): number {
  return Math.round(delayMs * (0.8 + Math.random() * 0.4));
}

function truncate(reason: string): string {
  return reason.length <= MAX_REASON_LENGTH ? reason : `${reason.slice(0, MAX_REASON_LENGTH - 1)}…`;
}

function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Keeps passwords out of logs and error messages. */
