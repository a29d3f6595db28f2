import { EventEmitter } from 'node:events';
import type { MemeRenderedEvent, Queue, Subscription } from '@memelab/adapters';
import type { Logger } from '@memelab/platform';

/**
 * Fans `meme.rendered` events from the queue out to this API instance's waiters: long
 * polls, per-meme event streams and the live feed. One broker subscription per instance,
 * however many browsers listen.
 */
export class MemeEventHub {
  private readonly emitter = new EventEmitter();
  private subscription: Subscription | undefined;

  constructor(private readonly logger: Logger) {
    // Every open event stream adds a listener; thousands are normal, not a leak.
    this.emitter.setMaxListeners(0);
  }

  async start(queue: Queue): Promise<void> {
    this.subscription = await queue.subscribeEvents((event) => this.emit(event));
  }

  emit(event: MemeRenderedEvent): void {
    try {
      this.emitter.emit('any', event);
      this.emitter.emit(event.memeId, event);
    } catch (error) {
      this.logger.warn({ err: error }, 'an event listener failed');
    }
  }

  /** Calls `listener` for every event; returns the function that stops it. */
  onAny(listener: (event: MemeRenderedEvent) => void): () => void {
    this.emitter.on('any', listener);
    return () => this.emitter.off('any', listener);
  }

  onMeme(memeId: string, listener: (event: MemeRenderedEvent) => void): () => void {
    this.emitter.on(memeId, listener);
    return () => this.emitter.off(memeId, listener);
  }

  /** Resolves with the meme's next event, or undefined after `timeoutMs` or on abort. */
  next(memeId: string, timeoutMs: number, signal?: AbortSignal): Promise<MemeRenderedEvent | undefined> {
    return new Promise((resolve) => {
      const finish = (event: MemeRenderedEvent | undefined): void => {
        clearTimeout(timer);
        stop();
        signal?.removeEventListener('abort', onAbort);
        resolve(event);
      };
      const onAbort = (): void => finish(undefined);
      const stop = this.onMeme(memeId, finish);
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe();
    this.subscription = undefined;
  }
}
