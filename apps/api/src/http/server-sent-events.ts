import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface EventStream {
  send(event: string, data: unknown, id?: string): void;
  close(): void;
  readonly closed: boolean;
  onClose(listener: () => void): void;
}

const HEARTBEAT_MS = 15_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Event streams open on this server; a graceful shutdown ends them. */
    eventStreams: Set<EventStream>;
  }
}

/**
 * Without this a graceful shutdown would wait forever: an event stream never ends on its
 * own. Decorated on the root instance, so every route context shares the one set.
 */
export const endEventStreamsOnClose = (app: FastifyInstance): void => {
  app.decorate('eventStreams', new Set<EventStream>());
  app.addHook('preClose', async () => {
    for (const stream of app.eventStreams) stream.close();
  });
};

/**
 * Turns a reply into a server-sent event stream. A comment line every 15 s keeps proxies
 * from closing an idle stream; `x-accel-buffering: no` stops nginx from buffering it.
 *
 * Events sent in one turn of the event loop leave in one socket write at its end: under
 * load the worker's events arrive many to a turn, and on a small virtual machine each
 * write costs more than the event it carries.
 */
export const openEventStream = (request: FastifyRequest, reply: FastifyReply): EventStream => {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-correlation-id': String(request.id),
  });
  raw.write(': stream open\n\n');
  const listeners: Array<() => void> = [];
  let closed = false;
  const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
  const finish = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const listener of listeners) listener();
  };
  // The response's close, not the request's: a request closes once its body is read.
  raw.once('close', finish);
  let pending = '';
  const flush = (): void => {
    const text = pending;
    pending = '';
    if (text !== '' && !raw.destroyed) raw.write(text);
  };
  const stream: EventStream = {
    send(event, data, id) {
      if (closed) return;
      if (pending === '') setImmediate(flush);
      pending += `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    },
    close() {
      if (closed) return;
      finish();
      flush();
      raw.end();
    },
    get closed() {
      return closed;
    },
    onClose(listener) {
      listeners.push(listener);
    },
  };
  const registry = request.server.eventStreams;
  registry.add(stream);
  listeners.push(() => registry.delete(stream));
  return stream;
};
