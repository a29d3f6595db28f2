export interface BatcherOptions {
  /** Requests per statement at most; the rest wait for the next one. */
  readonly maxBatch?: number;
  /**
   * Statements running at once. One suits steps that must see each other's writes; two
   * let a batch be gathered and sent while the previous one waits for its commit to reach
   * disk, which is most of a short statement's time.
   */
  readonly maxInFlight?: number;
}

/**
 * Runs one statement for many requests: the first request waits only for the current turn
 * of the event loop to end, and requests made while statements are running go together in
 * the next one as soon as one returns. So an idle service adds no delay, and a busy one
 * sends its database one statement (one round trip, one commit) for all the requests that
 * reached the same step at about the same time, instead of one each.
 *
 * A batch holds each key at most once; a second request for a key waits for the next
 * batch, so with one statement in flight it sees what the first one wrote (a duplicate
 * delivery of a meme must find it done, not be counted as a second render). A statement that fails rejects every request
 * of its batch, as it would have failed each of them alone.
 */
export class StatementBatcher<Input, Output> {
  private pending: Array<Request<Input, Output>> = [];
  private running = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    /** Runs the statement for the batch; resolves to each key's result (absent: no result). */
    private readonly run: (inputs: Input[]) => Promise<ReadonlyMap<string, Output>>,
    private readonly keyOf: (input: Input) => string,
    options: BatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 64;
    this.maxInFlight = options.maxInFlight ?? 1;
  }

  /** Resolves once the batch holding `input` is written, to its result if it has one. */
  submit(input: Input): Promise<Output | undefined> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, key: this.keyOf(input), resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running >= this.maxInFlight || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.running >= this.maxInFlight || this.pending.length === 0) return;
    const batch: Array<Request<Input, Output>> = [];
    const keys = new Set<string>();
    const later: Array<Request<Input, Output>> = [];
    for (const request of this.pending) {
      if (batch.length < this.maxBatch && !keys.has(request.key)) {
        keys.add(request.key);
        batch.push(request);
      } else {
        later.push(request);
      }
    }
    this.pending = later;
    this.running++;
    try {
      const results = await this.run(batch.map((request) => request.input));
      for (const request of batch) request.resolve(results.get(request.key));
    } catch (error) {
      for (const request of batch) request.reject(error);
    } finally {
      this.running--;
      if (this.pending.length > 0) this.schedule();
    }
  }
}

interface Request<Input, Output> {
  readonly input: Input;
  readonly key: string;
  resolve(output: Output | undefined): void;
  reject(error: unknown): void;
}
