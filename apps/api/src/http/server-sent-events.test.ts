import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { endEventStreamsOnClose, openEventStream } from './server-sent-events.ts';

describe('server-sent event streams', () => {
  let app: FastifyInstance | undefined;

  afterEach(async () => {
    await app?.close();
  });

  it('sends the events of one turn in one write, in order, and the rest before the stream ends', async () => {
    app = Fastify();
    endEventStreamsOnClose(app);
    const writes: string[] = [];
    app.get('/events', (request, reply) => {
      const write = reply.raw.write.bind(reply.raw) as (chunk: string) => boolean;
      reply.raw.write = ((chunk: string) => {
        writes.push(String(chunk));
        return write(chunk);
      }) as typeof reply.raw.write;
      const stream = openEventStream(request, reply);
      stream.send('first', { n: 1 }, '1');
      stream.send('second', { n: 2 });
      stream.send('third', { n: 3 });
      setTimeout(() => {
        stream.send('fourth', { n: 4 });
        stream.close();
      }, 20);
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });

    const body = await (await fetch(`${url}/events`)).text();

    expect(body).toBe(
      ': stream open\n\n' +
        'id: 1\nevent: first\ndata: {"n":1}\n\n' +
        'event: second\ndata: {"n":2}\n\n' +
        'event: third\ndata: {"n":3}\n\n' +
        'event: fourth\ndata: {"n":4}\n\n',
    );
    expect(writes.filter((chunk) => chunk.includes('event:')).map((chunk) => chunk.match(/event: \w+/g))).toEqual([
      ['event: first', 'event: second', 'event: third'],
      ['event: fourth'],
    ]);
  });
});
