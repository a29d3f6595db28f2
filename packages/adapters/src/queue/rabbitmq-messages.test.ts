import type { Message, MessageProperties } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { decodeEvent, decodeJob, encodeEvent, encodeJob, jobMessageHeaders } from './rabbitmq-messages.ts';

function messageOf(content: string, headers?: Record<string, unknown>): Message {
  const properties: Partial<MessageProperties> = { headers };
  return {
    content: Buffer.from(content),
    fields: { deliveryTag: 1, redelivered: false, exchange: 'x', routingKey: 'render' },
    properties: properties as MessageProperties,
  };
}

describe('RabbitMQ job messages', () => {
  it('round-trips a job with its correlation id and attempt', () => {
    const message = messageOf(encodeJob({ memeId: 'm1' }).toString(), jobMessageHeaders({ correlationId: 'c1' }, 3));

    expect(decodeJob(message)).toEqual({
      ok: true,
      value: { job: { memeId: 'm1' }, headers: { correlationId: 'c1' }, attempt: 3 },
    });
  });

  it('carries the W3C trace context as traceparent and tracestate headers', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const headers = jobMessageHeaders({ correlationId: 'c1', traceparent, tracestate: 'vendor=1' }, 1);
    expect(headers).toMatchObject({ traceparent, tracestate: 'vendor=1' });

    const decoded = decodeJob(messageOf('{"memeId":"m1"}', headers));
    expect(decoded.ok && decoded.value.headers).toEqual({ correlationId: 'c1', traceparent, tracestate: 'vendor=1' });
    const withoutContext = decodeJob(messageOf('{"memeId":"m1"}', { traceparent: 7 }));
    expect(withoutContext.ok && withoutContext.value.headers).toEqual({});
  });

  it('carries the time of the first attempt on a retried job', () => {
    const headers = jobMessageHeaders({}, 2, { 'x-first-attempt-at': 1_700_000_000_000 });
    const decoded = decodeJob(messageOf('{"memeId":"m1"}', headers));

    expect(decoded.ok && decoded.value.firstAttemptAt).toBe(1_700_000_000_000);
    expect(decodeJob(messageOf('{"memeId":"m1"}', { 'x-first-attempt-at': 'soon' })).ok).toBe(true);
    const unusable = decodeJob(messageOf('{"memeId":"m1"}', { 'x-first-attempt-at': 'soon' }));
    expect(unusable.ok && unusable.value.firstAttemptAt).toBeUndefined();
  });

  it('treats a message without usable headers as a first attempt without correlation id', () => {
    const decoded = decodeJob(messageOf('{"memeId":"m1"}', { 'x-attempt': 'two', 'x-correlation-id': 7 }));

    expect(decoded).toEqual({ ok: true, value: { job: { memeId: 'm1' }, headers: {}, attempt: 1 } });
  });

  it.each(['not json', '[]', 'null', '{}', '{"memeId":""}', '{"memeId":42}'])('rejects the job body %s', (body) => {
    expect(decodeJob(messageOf(body)).ok).toBe(false);
  });

  it('omits the correlation id header when there is none', () => {
    expect(jobMessageHeaders({}, 1, { 'x-retry-reason': 'busy' })).toEqual({
      'x-attempt': 1,
      'x-retry-reason': 'busy',
    });
  });
});

describe('RabbitMQ event messages', () => {
  it('round-trips a meme.rendered event', () => {
    const event = { memeId: 'm1', status: 'failed', at: '2024-05-01T00:00:00.000Z' } as const;

    expect(decodeEvent(encodeEvent(event))).toEqual(event);
  });

  it('carries the meme snapshot along, and drops one that is not an object', () => {
    const event = { memeId: 'm1', status: 'done', at: '2024-05-01T00:00:00.000Z', meme: { id: 'm1' } } as const;
    expect(decodeEvent(encodeEvent(event))).toEqual(event);
    const odd = Buffer.from(JSON.stringify({ ...event, meme: 'not a meme' }));
    expect(decodeEvent(odd)).toEqual({ memeId: 'm1', status: 'done', at: event.at });
  });

  it.each(['nope', '{"memeId":"m","status":"queued","at":"t"}', '{"memeId":"m","status":"done"}'])(
    'drops the malformed event %s',
    (body) => {
      expect(decodeEvent(Buffer.from(body))).toBeUndefined();
    },
  );
});
