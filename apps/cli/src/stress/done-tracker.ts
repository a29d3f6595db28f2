import type { Client } from 'undici';
import { LatencyRecorder } from './latency-recorder.ts';

/**
 * Follows memelab's live feed (`GET /api/events`, server-sent events of rendered memes)
 * to time each accepted meme from its intended send time to `done`. A meme can finish
 * before its 202 has been read, so finishes are kept until the acceptance is known.
 */
export class DoneTracker {
  private readonly accepted = new Map<string, number>();
  private readonly finishedEarly = new Map<string, number>();
  private readonly done = new Set<string>();
  readonly latency = new LatencyRecorder();
  private waiter: (() => void) | undefined;

  accept(id: string, intendedAt: number, alreadyDone: boolean): void {
    if (this.accepted.has(id) || this.done.has(id)) return;
    const finishedAt = alreadyDone ? performance.now() : this.finishedEarly.get(id);
    this.accepted.set(id, intendedAt);
    if (finishedAt !== undefined) this.finish(id, finishedAt);
  }

  rendered(id: string, at: number = performance.now()): void {
    if (this.done.has(id)) return;
    if (this.accepted.has(id)) this.finish(id, at);
    else this.finishedEarly.set(id, at);
  }

  private finish(id: string, at: number): void {
    const intendedAt = this.accepted.get(id) ?? at;
    this.done.add(id);
    this.finishedEarly.delete(id);
    this.latency.recordSuccess(at - intendedAt);
    if (this.pending().length === 0) this.waiter?.();
  }

  get acceptedCount(): number {
    return this.accepted.size;
  }

  get doneCount(): number {
    return this.done.size;
  }

  /** Accepted memes not yet seen done. */
  pending(): string[] {
    return [...this.accepted.keys()].filter((id) => !this.done.has(id));
  }

  /** Resolves when every accepted meme is done, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.pending().length === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.waiter = undefined;
  }
}

/** Parses a server-sent event stream's text into events, carrying partial lines over. */
export class EventStreamParser {
  private buffer = '';
  private event = 'message';
  private data: string[] = [];

  push(chunk: string, onEvent: (event: string, data: string) => void): void {
    this.buffer += chunk;
    let newline = this.buffer.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      if (line === '') {
        if (this.data.length > 0) onEvent(this.event, this.data.join('\n'));
        this.event = 'message';
        this.data = [];
      } else if (line.startsWith('event:')) {
        this.event = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        this.data.push(line.slice(5).replace(/^ /, ''));
      }
      newline = this.buffer.indexOf('\n');
    }
  }
}

/** Opens the live feed and reports every rendered meme to the tracker until `signal` aborts. */
const followOnce = async (client: Client, tracker: DoneTracker, signal: AbortSignal): Promise<void> => {
  const { statusCode, body } = await client.request({
    path: '/api/events',
    method: 'GET',
    headers: { accept: 'text/event-stream' },
    signal,
    bodyTimeout: 0,
  });
  if (statusCode !== 200) {
    await body.dump();
    throw new Error(`the live feed answered ${statusCode}`);
  }
  const parser = new EventStreamParser();
  body.setEncoding('utf8');
  for await (const chunk of body as AsyncIterable<string>) {
    parser.push(chunk, (event, data) => {
      if (event !== 'meme') return;
      const id = (JSON.parse(data) as { id?: unknown }).id;
      if (typeof id === 'string') tracker.rendered(id);
    });
  }
};

const RECONNECT_MS = 500;

/**
 * Follows the live feed until `signal` aborts, reconnecting when the server goes away (an
 * API restart); what finishes meanwhile is found by asking the API during the drain.
 */
export const followLiveFeed = async (client: Client, tracker: DoneTracker, signal: AbortSignal): Promise<void> => {
  while (!signal.aborted) {
    try {
      await followOnce(client, tracker, signal);
    } catch {
      // closed, refused or aborted: try again unless the run is over
    }
    if (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
};
