/**
 * The queue port: render jobs from the API to workers, and `meme.rendered` events from
 * workers back to every API instance. Adapters: in-process (embedded mode) and RabbitMQ
 * (distributed mode). Both give at-least-once delivery: a job is removed only when its
 * handler settles it, and a consumer that dies returns its unsettled jobs to the queue.
 */
export interface RenderJob {
  readonly memeId: string;
}

/**
 * Message headers carried with a job: the correlation id of the request that caused it, and
 * the W3C trace context (`traceparent`, `tracestate`) of the span that published it, so the
 * worker's spans join the request's trace.
 */
export interface JobHeaders {
  readonly correlationId?: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
}

export interface ReceivedJob {
  readonly job: RenderJob;
  readonly headers: JobHeaders;
  /** 1 for the first delivery, 2 for the first retry, and so on. */
  readonly attempt: number;
  /** True when the broker says this delivery may have been seen before (a consumer died). */
  readonly redelivered: boolean;
  /**
   * When the job's first attempt began (ms since the epoch), carried on every retry, so a
   * handler can retry by a time budget rather than by a count alone.
   */
  readonly firstAttemptAt: number;
}

/**
 * What the handler decided. `done`: remove the job. `retry`: run it again after `delayMs`
 * (through a delay queue, so nothing holds the job in memory meanwhile). `dead`: move it to
 * the dead-letter queue with `reason`.
 */
export type JobOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly reason: string }
  | { readonly kind: 'dead'; readonly reason: string };

export type JobHandler = (received: ReceivedJob) => Promise<JobOutcome>;

export interface ConsumeOptions {
  /** Most jobs handed to this consumer before it settles one. */
  readonly prefetch: number;
}

export interface Consumer {
  /** Stops taking new jobs and resolves once every job in flight has been settled. */
  stop(): Promise<void>;
  /**
   * Takes no new jobs until `resume()` (jobs in flight still finish); the waiting jobs stay
   * in the queue for consumers that can work. For a worker whose own dependencies are down.
   */
  pause(): Promise<void>;
  resume(): Promise<void>;
  isPaused(): boolean;
}

export interface MemeRenderedEvent {
  readonly memeId: string;
  readonly status: 'done' | 'failed';
  readonly at: string;
  /** The meme as stored once done, as plain JSON, so listeners need not read it back. */
  readonly meme?: Readonly<Record<string, unknown>>;
}

export interface Subscription {
  unsubscribe(): Promise<void>;
}

export interface Queue {
  readonly kind: 'memory' | 'rabbitmq';
  /** Creates exchanges, queues and bindings (idempotent). */
  setup(): Promise<void>;
  /** Resolves once the broker has confirmed the job is stored (publisher confirms). */
  publishJob(job: RenderJob, headers?: JobHeaders): Promise<void>;
  consumeJobs(handler: JobHandler, options: ConsumeOptions): Promise<Consumer>;
  /** Broadcast to every subscriber (every API instance); best effort, not stored. */
  publishEvent(event: MemeRenderedEvent): Promise<void>;
  subscribeEvents(handler: (event: MemeRenderedEvent) => void): Promise<Subscription>;
  /** Jobs waiting in the main queue (not counting those in flight or delayed). */
  depth(): Promise<number>;
  /** Jobs in the dead-letter queue. */
  deadLetterDepth(): Promise<number>;
  /** True while connected (or reconnected) and usable; used by readiness. */
  isReady(): boolean;
  close(): Promise<void>;
}
