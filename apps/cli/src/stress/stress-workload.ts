import type { Pool } from 'undici';

/** What a workload's request came to; the runner times it and files it under its kind. */
export interface SendResult {
  readonly ok: boolean;
  /** The HTTP status, or a word (`timeout`, `connection`) when there was no answer. */
  readonly status: string;
}

/** One service's requests: set up once, then sent by kind. */
export interface Workload<Kind extends string = string> {
  readonly name: string;
  readonly kinds: readonly Kind[];
  readonly defaultMix: string;
  /** Creates what the run reads (memes to fetch, patients to book); throws if the target is not usable. */
  prepare(): Promise<void>;
  send(kind: Kind, index: number, intendedAt: number): Promise<SendResult>;
}

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** A request whose answer is read in full; bodies are JSON when they say so. */
export const requestJson = async (
  pool: Pool,
  options: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    path: string;
    body?: unknown;
    headers?: Record<string, string>;
    timeoutMs: number;
  },
): Promise<JsonAnswer> => {
  const { statusCode, headers, body } = await pool.request({
    method: options.method,
    path: options.path,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  const type = String(headers['content-type'] ?? '');
  if (type.includes('json')) return { status: statusCode, body: await body.json() };
  await body.dump({ limit: Number.POSITIVE_INFINITY });
  return { status: statusCode, body: undefined };
};

/** The status word for a request that got no answer. */
export const failureStatus = (error: unknown): string => {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  return 'connection';
};

/** Sends and classifies, turning a transport failure into a result instead of a rejection. */
export const settle = async (attempt: () => Promise<SendResult>): Promise<SendResult> => {
  try {
    return await attempt();
  } catch (error) {
    return { ok: false, status: failureStatus(error) };
  }
};

export class TargetNotReadyError extends Error {}

export const expectStatus = (answer: JsonAnswer, expected: readonly number[], what: string): void => {
  if (!expected.includes(answer.status)) {
    const detail = (answer.body as { detail?: string; code?: string } | undefined) ?? {};
    throw new TargetNotReadyError(
      `${what} answered ${answer.status}${detail.code ? ` ${detail.code}` : ''}${detail.detail ? `: ${detail.detail}` : ''}`,
    );
  }
};
