import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Consumer, MemeRenderedEvent, Subscription } from './queue.port.ts';
import { errorMessage, type QueueLog } from './queue-log.ts';
import { decodeEvent } from './rabbitmq-messages.ts';
import { MEME_RENDERED_ROUTING_KEY } from './rabbitmq-topology.ts';

/** The channel a job arrived on: acks must go back on it, and only while it is open. */
export interface DeliveryChannel {
  readonly connection: ChannelModel;
  isOpen(): boolean;
  ack(message: ConsumeMessage): void;
  /** Hands the job back to the queue now (used when its retry or dead-letter copy could not be stored). */
  requeue(message: ConsumeMessage): void;
}

/** What consumers and subscriptions tell the queue that owns them. */
export interface AttachmentHooks {
  readonly log: QueueLog;
  /** A channel closed, or the broker cancelled its consumer, while the connection looked alive. */
  lost(connection: ChannelModel, what: string): void;
  stopped(owner: ReattachingConsumer): void;
}

class Attachment implements DeliveryChannel {
  open = true;
  consumerTag: string | undefined;

  constructor(
    readonly connection: ChannelModel,
    readonly channel: Channel,
  ) {}

  isOpen(): boolean {
    return this.open;
  }

  ack(message: ConsumeMessage): void {
    // A closed channel cannot ack; the broker has already put the job back for redelivery.
    if (this.open) ignoreClosedChannel(() => this.channel.ack(message));
  }

  requeue(message: ConsumeMessage): void {
    if (this.open) ignoreClosedChannel(() => this.channel.nack(message, false, true));
  }

  async cancel(): Promise<void> {
    const tag = this.consumerTag;
    this.consumerTag = undefined;
    if (this.open && tag !== undefined) await this.channel.cancel(tag);
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.channel.close();
  }
}

function ignoreClosedChannel(send: () => void): void {
  try {
    send();
  } catch {
    // The channel closed between the check and the send; the broker redelivers the job.
  }
}

async function openAttachment(connection: ChannelModel, hooks: AttachmentHooks, what: string): Promise<Attachment> {
  const channel = await connection.createChannel();
  const attachment = new Attachment(connection, channel);
  channel.on('error', (error: Error) => hooks.log('warn', `RabbitMQ ${what} channel error`, { error: error.message }));
  channel.on('close', () => {
    const unexpected = attachment.open;
    attachment.open = false;
    if (unexpected) hooks.lost(connection, `${what} channel`);
  });
  return attachment;
}

async function closeQuietly(attachment: Attachment | undefined, hooks: AttachmentHooks, what: string): Promise<void> {
  try {
    await attachment?.close();
  } catch (error) {
    hooks.log('warn', `closing the RabbitMQ ${what} channel failed`, { error: errorMessage(error) });
  }
}

export type DeliveryProcessor = (channel: DeliveryChannel, message: ConsumeMessage) => Promise<void>;

/**
 * What job consumers and event subscriptions share: a channel of their own on the current
 * connection, opened again on every new connection until they are stopped.
 */
export abstract class ReattachingConsumer {
  protected current: Attachment | undefined;
  protected stopping = false;

  constructor(
    protected readonly hooks: AttachmentHooks,
    /** Names the channel in logs: "consumer", "event subscription". */
    private readonly what: string,
  ) {}

  isStopped(): boolean {
    return this.stopping;
  }

  isAttachedTo(connection: ChannelModel): boolean {
    return this.current?.connection === connection && this.current.isOpen();
  }

  async attach(connection: ChannelModel): Promise<void> {
    if (this.stopping || this.isAttachedTo(connection)) return;
    const attachment = await openAttachment(connection, this.hooks, this.what);
    attachment.consumerTag = await this.consume(attachment);
    this.current = attachment;
    // Stopped while the channel was being set up: it must not outlive the stop.
    if (this.stopping) await closeQuietly(attachment, this.hooks, this.what);
  }

  /** Sets the channel up and starts consuming on it; resolves with the consumer tag, if it consumes yet. */
  protected abstract consume(attachment: Attachment): Promise<string | undefined>;

  /** Marks this stopped and tells the owning queue; false if it was stopped already. */
  protected beginStopping(): boolean {
    if (this.stopping) return false;
    this.stopping = true;
    this.hooks.stopped(this);
    return true;
  }

  protected async detach(): Promise<void> {
    const attachment = this.current;
    this.current = undefined;
    await closeQuietly(attachment, this.hooks, this.what);
  }

  /** A null delivery: the broker cancelled the consumer (its queue was deleted); reconnecting re-declares it. */
  protected cancelledByBroker(attachment: Attachment): void {
    if (!this.stopping) this.hooks.lost(attachment.connection, `${this.what} (cancelled by the broker)`);
  }
}

/**
 * One `consumeJobs` call: a channel of its own (so prefetch applies to it alone), re-attached
 * on every new connection until stopped. Jobs from a lost channel may still be finishing
 * while the new channel receives; their acks are skipped and the broker redelivers them.
 */
export class JobConsumer extends ReattachingConsumer implements Consumer {
  private readonly inFlight = new Set<Promise<void>>();
  private paused = false;
  /** Pause and resume in the order they were asked for, each after the last has reached the broker. */
  private switching: Promise<void> = Promise.resolve();

  constructor(
    private readonly queue: string,
    private readonly prefetch: number,
    private readonly process: DeliveryProcessor,
    hooks: AttachmentHooks,
  ) {
    super(hooks, 'consumer');
  }

  protected async consume(attachment: Attachment): Promise<string | undefined> {
    await attachment.channel.prefetch(this.prefetch);
    // A paused consumer keeps its channel across reconnects but takes nothing until resumed.
    return this.paused ? undefined : this.startConsuming(attachment);
  }

  private async startConsuming(attachment: Attachment): Promise<string> {
    const { consumerTag } = await attachment.channel.consume(
      this.queue,
      (message) => this.onMessage(attachment, message),
      { noAck: false },
    );
    return consumerTag;
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** Cancels the broker-side consumer (basic.cancel): the queue keeps its jobs for other consumers. */
  pause(): Promise<void> {
    return this.switchTo(true);
  }

  resume(): Promise<void> {
    return this.switchTo(false);
  }

  private switchTo(paused: boolean): Promise<void> {
    const next = this.switching.then(async () => {
      if (this.paused === paused) return;
      this.paused = paused;
      const attachment = this.current;
      // Without an open channel there is nothing to change now: the next attach honours the flag.
      if (this.stopping || attachment === undefined || !attachment.isOpen()) return;
      if (paused) await this.cancelConsumer();
      else if (attachment.consumerTag === undefined) attachment.consumerTag = await this.startConsuming(attachment);
    });
    this.switching = next.catch((error: unknown) =>
      this.hooks.log('warn', 'pausing or resuming the RabbitMQ consumer failed', { error: errorMessage(error) }),
    );
    return this.switching;
  }

  async stop(): Promise<void> {
    if (this.beginStopping()) await this.cancelConsumer();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.detach();
  }

  private async cancelConsumer(): Promise<void> {
    try {
      await this.current?.cancel();
    } catch (error) {
      this.hooks.log('warn', 'cancelling the RabbitMQ consumer failed', { error: errorMessage(error) });
    }
  }

  private onMessage(attachment: Attachment, message: ConsumeMessage | null): void {
    if (message === null) {
      this.cancelledByBroker(attachment);
      return;
    }
    if (this.stopping || this.paused) {
      // Prefetched before the cancel took effect: hand it back untouched for another consumer.
      attachment.requeue(message);
      return;
    }
    this.track(attachment, message);
  }

  private track(attachment: Attachment, message: ConsumeMessage): void {
    const task: Promise<void> = this.process(attachment, message)
      .catch((error: unknown) =>
        this.hooks.log('error', 'processing a RabbitMQ delivery failed', { error: errorMessage(error) }),
      )
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }
}

type EventHandler = (event: MemeRenderedEvent) => void;

/**
 * One `subscribeEvents` call: an exclusive, auto-deleted, server-named queue bound to the
 * events exchange, declared again on every new connection. Events published while
 * disconnected are missed, which the port allows (events are best effort).
 */
export class EventSubscription extends ReattachingConsumer implements Subscription {
  constructor(
    private readonly exchange: string,
    private readonly handler: EventHandler,
    hooks: AttachmentHooks,
  ) {
    super(hooks, 'event subscription');
  }

  protected async consume(attachment: Attachment): Promise<string> {
    const { queue } = await attachment.channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    await attachment.channel.bindQueue(queue, this.exchange, MEME_RENDERED_ROUTING_KEY);
    const { consumerTag } = await attachment.channel.consume(queue, (message) => this.onMessage(attachment, message), {
      noAck: true,
    });
    return consumerTag;
  }

  async unsubscribe(): Promise<void> {
    // Closing the channel cancels the consumer, and the auto-delete queue goes with it.
    if (this.beginStopping()) await this.detach();
  }

  private onMessage(attachment: Attachment, message: ConsumeMessage | null): void {
    if (message === null) {
      this.cancelledByBroker(attachment);
      return;
    }
    if (this.stopping) return;
    const event = decodeEvent(message.content);
    if (event === undefined) {
      this.hooks.log('warn', 'dropped a malformed meme.rendered event', { bytes: message.content.length });
      return;
    }
    try {
      this.handler(event);
    } catch (error) {
      this.hooks.log('warn', 'event subscriber threw', { memeId: event.memeId, error: errorMessage(error) });
    }
  }
}
