import type {
  ConsumeOptions,
  Consumer,
  JobHandler,
  JobHeaders,
  JobOutcome,
  MemeRenderedEvent,
  Queue,
  RenderJob,
  Subscription,
} from './queue.port.ts';
import { QueueUnavailableError } from './queue-errors.ts';
import { errorMessage, type QueueLog, silentQueueLog } from './queue-log.ts';
import { assertValidPrefetch } from './queue-validation.ts';

export interface MemoryQueueOptions {
  /** Delay before a job whose handler threw (instead of returning an outcome) runs again. */
  readonly failedHandlerRetryDelayMs?: number;
  readonly log?: QueueLog;
}

/** A job moved aside by a `dead` outcome, kept for inspection while the process lives. */
export interface DeadLetter {
  readonly job: RenderJob;
  readonly headers: JobHeaders;
  readonly attempt: number;
  readonly reason: string;
  readonly at: string;
}

interface QueuedJob {
  readonly job: RenderJob;
  readonly headers: JobHeaders;
  readonly attempt: number;
  /** Set when the first attempt begins. */
  readonly firstAttemptAt?: number;
}

type EventHandler = (event: MemeRenderedEvent) => void;

const DEFAULT_FAILED_HANDLER_RETRY_DELAY_MS = 1000;

/**
 * The queue for embedded mode: API and worker share one process, so jobs and events stay in
 * memory. It keeps the delivery rules of the broker-backed queue (prefetch, retry after a
 * delay, dead letters, at-least-once) so the worker behaves the same in both modes; jobs do
 * not survive a restart, which the sweeper covers by republishing rows stuck in `queued`.
 */
export class MemoryQueue implements Queue {
  readonly kind = 'memory';

  private readonly waiting: QueuedJob[] = [];
  private readonly delayed = new Map<NodeJS.Timeout, QueuedJob>();
  private readonly deadLettered: DeadLetter[] = [];
  private readonly consumers: MemoryConsumer[] = [];
  private readonly subscribers = new Set<EventHandler>();
  private readonly failedHandlerRetryDelayMs: number;
  private readonly log: QueueLog;
  private nextConsumer = 0;
  private dispatchScheduled = false;
  private closed = false;

  constructor(options: MemoryQueueOptions = {}) {
    this.failedHandlerRetryDelayMs = options.failedHandlerRetryDelayMs ?? DEFAULT_FAILED_HANDLER_RETRY_DELAY_MS;
    this.log = options.log ?? silentQueueLog;
  }

  async setup(): Promise<void> {
    this.assertOpen();
  }

  async publishJob(job: RenderJob, headers: JobHeaders = {}): Promise<void> {
    this.assertOpen();
    this.enqueue({ job: { memeId: job.memeId }, headers: { ...headers }, attempt: 1 });
  }

  async consumeJobs(handler: JobHandler, options: ConsumeOptions): Promise<Consumer> {
    this.assertOpen();
    assertValidPrefetch(options.prefetch);
    const consumer = new MemoryConsumer(
      handler,
      options.prefetch,
      (stopped) => this.removeConsumer(stopped),
      () => this.scheduleDispatch(),
    );
    this.consumers.push(consumer);
    this.scheduleDispatch();
    return consumer;
  }

  async publishEvent(event: MemeRenderedEvent): Promise<void> {
    this.assertOpen();
    for (const subscriber of this.subscribers) {
      queueMicrotask(() => this.deliverEvent(subscriber, { ...event }));
    }
  }

  async subscribeEvents(handler: EventHandler): Promise<Subscription> {
    this.assertOpen();
    // A wrapper per call, so subscribing the same function twice gives two independent subscriptions.
    const subscriber: EventHandler = (event) => handler(event);
    this.subscribers.add(subscriber);
    return {
      unsubscribe: async () => {
        this.subscribers.delete(subscriber);
      },
    };
  }

  async depth(): Promise<number> {
    return this.waiting.length;
  }

  async deadLetterDepth(): Promise<number> {
    return this.deadLettered.length;
  }

  /** The jobs moved aside so far, oldest first. */
  deadLetters(): readonly DeadLetter[] {
    return [...this.deadLettered];
  }

  isReady(): boolean {
    return !this.closed;
  }

  /** Stops every consumer (waiting for jobs in flight) and drops subscribers; final. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscribers.clear();
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    this.releaseDelayedJobs();
  }

  private assertOpen(): void {
    if (this.closed) throw new QueueUnavailableError('the in-memory queue is closed');
  }

  private enqueue(queued: QueuedJob): void {
    this.waiting.push(queued);
    this.scheduleDispatch();
  }

  private enqueueAfter(queued: QueuedJob, delayMs: number): void {
    if (this.closed) {
      this.waiting.push(queued);
      return;
    }
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      this.enqueue(queued);
    }, delayMs);
    // A pending retry must not keep an otherwise finished process alive.
    timer.unref();
    this.delayed.set(timer, queued);
  }

  /** On close, delayed jobs become waiting ones so `depth()` still accounts for them. */
  private releaseDelayedJobs(): void {
    for (const [timer, queued] of this.delayed) {
      clearTimeout(timer);
      this.waiting.push(queued);
    }
    this.delayed.clear();
  }

  private removeConsumer(consumer: MemoryConsumer): void {
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
  }

  /** Dispatching from a microtask keeps handlers off the publisher's call stack. */
  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    queueMicrotask(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const consumer = this.nextConsumerWithCapacity();
      const queued = consumer === undefined ? undefined : this.waiting.shift();
      if (consumer === undefined || queued === undefined) return;
      void this.run(consumer, queued).catch((error: unknown) =>
        this.log('error', 'in-memory queue failed to settle a job', {
          memeId: queued.job.memeId,
          error: errorMessage(error),
        }),
      );
    }
  }

  /** Round robin over consumers that still have room under their prefetch. */
  private nextConsumerWithCapacity(): MemoryConsumer | undefined {
    const count = this.consumers.length;
    for (let offset = 0; offset < count; offset++) {
      const index = (this.nextConsumer + offset) % count;
      const consumer = this.consumers[index];
      if (consumer?.hasCapacity()) {
        this.nextConsumer = (index + 1) % count;
        return consumer;
      }
    }
    return undefined;
  }

  private async run(consumer: MemoryConsumer, waiting: QueuedJob): Promise<void> {
    const queued = { ...waiting, firstAttemptAt: waiting.firstAttemptAt ?? Date.now() };
    consumer.begin();
    try {
      const outcome = await this.outcomeOf(consumer.handler, queued);
      this.settle(queued, outcome);
    } finally {
      consumer.end();
      this.scheduleDispatch();
    }
  }

  private async outcomeOf(handler: JobHandler, queued: QueuedJob & { firstAttemptAt: number }): Promise<JobOutcome> {
    try {
      return await handler({
        job: { ...queued.job },
        headers: { ...queued.headers },
        attempt: queued.attempt,
        redelivered: false,
        firstAttemptAt: queued.firstAttemptAt,
      });
    } catch (error) {
      this.log('warn', 'job handler threw; retrying the job', {
        memeId: queued.job.memeId,
        error: errorMessage(error),
      });
      return {
        kind: 'retry',
        delayMs: this.failedHandlerRetryDelayMs,
        reason: `handler threw: ${errorMessage(error)}`,
      };
    }
  }

  private settle(queued: QueuedJob, outcome: JobOutcome): void {
    switch (outcome.kind) {
      case 'done':
        return;
      case 'retry':
        this.enqueueAfter({ ...queued, attempt: queued.attempt + 1 }, Math.max(0, outcome.delayMs));
        return;
      case 'dead':
        this.deadLettered.push({ ...queued, reason: outcome.reason, at: new Date().toISOString() });
        return;
    }
  }

  private deliverEvent(subscriber: EventHandler, event: MemeRenderedEvent): void {
    try {
      subscriber(event);
    } catch (error) {
      this.log('warn', 'event subscriber threw', { memeId: event.memeId, error: errorMessage(error) });
    }
  }
}

class MemoryConsumer implements Consumer {
  readonly handler: JobHandler;
  private readonly prefetch: number;
  private readonly onStop: (consumer: MemoryConsumer) => void;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly onResume: () => void;
  private inFlight = 0;
  private stopped = false;
  private paused = false;

  constructor(handler: JobHandler, prefetch: number, onStop: (consumer: MemoryConsumer) => void, onResume: () => void) {
    this.handler = handler;
    this.prefetch = prefetch;
    this.onStop = onStop;
    this.onResume = onResume;
  }

  hasCapacity(): boolean {
    return !this.stopped && !this.paused && this.inFlight < this.prefetch;
  }

  isPaused(): boolean {
    return this.paused;
  }

  async pause(): Promise<void> {
    this.paused = true;
  }

  async resume(): Promise<void> {
    if (!this.paused) return;
    this.paused = false;
    this.onResume();
  }

  begin(): void {
    this.inFlight++;
  }

  end(): void {
    this.inFlight--;
    if (this.inFlight === 0) this.wakeIdleWaiters();
  }

  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.onStop(this);
    }
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private wakeIdleWaiters(): void {
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
