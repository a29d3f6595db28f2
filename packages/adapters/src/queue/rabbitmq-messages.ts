import type { Message } from 'amqplib';
import type { JobHeaders, MemeRenderedEvent, RenderJob } from './queue.port.ts';

export const HEADER_CORRELATION_ID = 'x-correlation-id';
export const HEADER_ATTEMPT = 'x-attempt';
/** W3C trace context of the publishing span, under the names the W3C gives them. */
export const HEADER_TRACEPARENT = 'traceparent';
export const HEADER_TRACESTATE = 'tracestate';
/** When the first attempt began (ms since the epoch); set on the first retry, kept on later ones. */
export const HEADER_FIRST_ATTEMPT_AT = 'x-first-attempt-at';
/** Why a job was retried: kept on the delayed copy so the next attempt can be traced back. */
export const HEADER_RETRY_REASON = 'x-retry-reason';
/** Why a job was dead-lettered: kept on the copy in the dead-letter queue for whoever inspects it. */
export const HEADER_DEATH_REASON = 'x-death-reason';

export type AmqpHeaders = Record<string, string | number>;

export interface DecodedJob {
  readonly job: RenderJob;
  readonly headers: JobHeaders;
  readonly attempt: number;
  /** Undefined on a first delivery: the first attempt begins now. */
  readonly firstAttemptAt: number | undefined;
}

export type JobDecoding =
  | { readonly ok: true; readonly value: DecodedJob }
  | { readonly ok: false; readonly reason: string };

export function encodeJob(job: RenderJob): Buffer {
  return Buffer.from(JSON.stringify({ memeId: job.memeId }));
}

export function jobMessageHeaders(headers: JobHeaders, attempt: number, extra: AmqpHeaders = {}): AmqpHeaders {
  const result: AmqpHeaders = { [HEADER_ATTEMPT]: attempt, ...extra };
  if (headers.correlationId !== undefined) result[HEADER_CORRELATION_ID] = headers.correlationId;
  if (headers.traceparent !== undefined) result[HEADER_TRACEPARENT] = headers.traceparent;
  if (headers.tracestate !== undefined) result[HEADER_TRACESTATE] = headers.tracestate;
  return result;
}

export function decodeJob(message: Message): JobDecoding {
  const body = parseJson(message.content);
  if (!isRecord(body) || typeof body.memeId !== 'string' || body.memeId.length === 0) {
    return { ok: false, reason: 'malformed job message: expected JSON {"memeId": "<non-empty string>"}' };
  }
  const headers: Record<string, unknown> = message.properties.headers ?? {};
  const correlationId = headers[HEADER_CORRELATION_ID];
  const firstAttemptAt = headers[HEADER_FIRST_ATTEMPT_AT];
  return {
    ok: true,
    value: {
      job: { memeId: body.memeId },
      headers: {
        ...(typeof correlationId === 'string' ? { correlationId } : {}),
        ...stringHeader(headers, HEADER_TRACEPARENT),
        ...stringHeader(headers, HEADER_TRACESTATE),
      },
      attempt: attemptOf(headers[HEADER_ATTEMPT]),
      firstAttemptAt:
        typeof firstAttemptAt === 'number' && Number.isSafeInteger(firstAttemptAt) && firstAttemptAt > 0
          ? firstAttemptAt
          : undefined,
    },
  };
}

function stringHeader(headers: Record<string, unknown>, name: string): Record<string, string> {
  const value = headers[name];
  return typeof value === 'string' ? { [name]: value } : {};
}

function attemptOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : 1;
}

export function encodeEvent(event: MemeRenderedEvent): Buffer {
  const { memeId, status, at, meme } = event;
  return Buffer.from(JSON.stringify({ memeId, status, at, ...(meme === undefined ? {} : { meme }) }));
}

export function decodeEvent(content: Buffer): MemeRenderedEvent | undefined {
  const body = parseJson(content);
  if (!isRecord(body)) return undefined;
  const { memeId, status, at, meme } = body;
  if (typeof memeId !== 'string' || typeof at !== 'string' || (status !== 'done' && status !== 'failed')) {
    return undefined;
  }
  // The snapshot is optional and checked by whoever reads it; a malformed one is dropped here.
  return { memeId, status, at, ...(isRecord(meme) ? { meme } : {}) };
}

function parseJson(content: Buffer): unknown {
  try {
    return JSON.parse(content.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
