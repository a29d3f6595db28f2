import { randomUUID } from 'node:crypto';
import type { ConfirmChannel, Options } from 'amqplib';

/** Bounds a publish when the broker stops answering (blocked by an alarm, or a silent network). */
const CONFIRM_TIMEOUT_MS = 15_000;

export type PublishOptions = Omit<Options.Publish, 'messageId' | 'mandatory'> & {
  /** Fail the publish when no queue takes the message, instead of letting the broker drop it. */
  readonly mandatory: boolean;
};

/**
 * Publishes on a confirm channel and resolves only once the broker has taken responsibility
 * for the message. Mandatory messages that reach no queue are returned by the broker before
 * its ack, so they are reported as failures rather than silently confirmed.
 */
export class ConfirmedPublisher {
  private readonly returned = new Set<string>();
  private open = true;

  constructor(readonly channel: ConfirmChannel) {
    channel.on('return', (message) => {
      const messageId: unknown = message.properties.messageId;
      if (typeof messageId === 'string') this.returned.add(messageId);
    });
    channel.on('close', () => {
      this.open = false;
    });
  }

  isOpen(): boolean {
    return this.open;
  }

  publish(exchange: string, routingKey: string, content: Buffer, options: PublishOptions): Promise<void> {
    const messageId = randomUUID();
    const destination = exchange === '' ? `queue '${routingKey}'` : `exchange '${exchange}'`;
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        const wasReturned = this.returned.delete(messageId);
        if (wasReturned) reject(new Error(`RabbitMQ could not route the message to any queue via ${destination}`));
        else if (error !== undefined) reject(error);
        else resolve();
      };
      timer = setTimeout(
        () => settle(new Error(`RabbitMQ did not confirm the message within ${CONFIRM_TIMEOUT_MS} ms`)),
        CONFIRM_TIMEOUT_MS,
      );
      try {
        this.channel.publish(exchange, routingKey, content, { ...options, messageId }, (error: unknown) =>
          settle(error == null ? undefined : asError(error)),
        );
      } catch (error) {
        settle(asError(error));
      }
    });
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
