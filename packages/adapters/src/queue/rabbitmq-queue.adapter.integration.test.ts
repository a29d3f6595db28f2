import { randomUUID } from 'node:crypto';
import { type Channel, type ChannelModel, connect } from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MemeRenderedEvent, ReceivedJob } from './queue.port.ts';
import { QueueUnavailableError } from './queue-errors.ts';
import type { QueueLogLevel } from './queue-log.ts';
import { RabbitMqQueue, type RabbitMqQueueOptions } from './rabbitmq-queue.adapter.ts';
import { deleteRabbitTopology, QueueTopologyError } from './rabbitmq-topology.ts';
import { DONE, deferred, describeQueueContract, eventually, sleep } from './testing/queue-contract.ts';
import { closeConnectionsNamed, connectionPids } from './testing/rabbitmqctl.ts';
import { closedPort, TcpProxy } from './testing/tcp-proxy.ts';

const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const FAST_RECONNECT = { initialDelayMs: 50, maxDelayMs: 500 } as const;

let admin: ChannelModel;
const created: RabbitMqQueue[] = [];
const connectionNames = new WeakMap<RabbitMqQueue, string>();

interface LogEntry {
  readonly level: QueueLogLevel;
  readonly message: string;
}

/** A queue under a prefix of its own, so concurrent runs never share exchanges or queues. */
function makeQueue(overrides: Partial<RabbitMqQueueOptions> = {}): RabbitMqQueue {
  const prefix = `memelab-test-${randomUUID().slice(0, 8)}`;
  const options: RabbitMqQueueOptions = {
    url: AMQP_URL,
    prefix,
    retryDelaysMs: [200],
    connectionName: `${prefix}-${randomUUID().slice(0, 4)}`,
    reconnect: FAST_RECONNECT,
    ...overrides,
  };
  const queue = new RabbitMqQueue(options);
  created.push(queue);
  if (options.connectionName !== undefined) connectionNames.set(queue, options.connectionName);
  return queue;
}

/** A second queue on the same names, e.g. the API publishing while a worker consumes. */
function peerOf(queue: RabbitMqQueue, overrides: Partial<RabbitMqQueueOptions> = {}): RabbitMqQueue {
  const prefix = queue.names.jobsExchange.replace(/\.jobs$/, '');
  return makeQueue({ prefix, ...overrides });
}

async function withAdminChannel<T>(use: (channel: Channel) => Promise<T>): Promise<T> {
  const channel = await admin.createChannel();
  channel.on('error', () => undefined);
  try {
    return await use(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

function capturingLog(entries: LogEntry[]): RabbitMqQueueOptions['log'] {
  return (level, message) => entries.push({ level, message });
}

beforeAll(async () => {
  admin = await connect(AMQP_URL);
});

afterEach(async () => {
  const queues = created.splice(0);
  await Promise.all(queues.map((queue) => queue.close()));
  for (const queue of queues) await withAdminChannel((channel) => deleteRabbitTopology(channel, queue.names));
});

afterAll(async () => {
  await admin.close();
});

describeQueueContract('RabbitMQ', async () => makeQueue());

describe('RabbitMQ queue', () => {
  it('redelivers the job of a consumer whose connection dies mid-job, and resumes consuming', async () => {
    const worker = makeQueue();
    const api = peerOf(worker);
    await worker.setup();
    await api.setup();
    const deliveries: ReceivedJob[] = [];
    const firstStarted = deferred();
    const releaseFirst = deferred();
    const consumer = await worker.consumeJobs(
      async (received) => {
        deliveries.push(received);
        if (deliveries.length === 1) {
          firstStarted.resolve();
          await releaseFirst.promise;
        }
        return DONE;
      },
      { prefetch: 1 },
    );
    await api.publishJob({ memeId: 'crash-1' }, { correlationId: 'corr-crash' });
    await firstStarted.promise;

    try {
      const closed = await closeConnectionsNamed(connectionNameOf(worker), 'memelab test: worker crash');

      expect(closed).toBe(1);
      await eventually(() => expect(deliveries).toHaveLength(2), 10_000);
      expect(deliveries[1]).toEqual({
        job: { memeId: 'crash-1' },
        headers: { correlationId: 'corr-crash' },
        attempt: 1,
        redelivered: true,
        firstAttemptAt: expect.any(Number),
      });
    } finally {
      releaseFirst.resolve();
    }
    await consumer.stop();
    expect(worker.isReady()).toBe(true);
    expect(await api.depth()).toBe(0);
    expect(await api.deadLetterDepth()).toBe(0);
  });

  it('loses no job when its connection is closed by the broker under load', async () => {
    const logs: LogEntry[] = [];
    const queue = makeQueue({ log: capturingLog(logs) });
    await queue.setup();
    const handled = new Set<string>();
    await queue.consumeJobs(
      async ({ job }) => {
        handled.add(job.memeId);
        await sleep(2);
        return DONE;
      },
      { prefetch: 20 },
    );
    const total = 300;
    let published = 0;
    const publishBatch = async (size: number): Promise<void> => {
      const ids = Array.from({ length: Math.min(size, total - published) }, (_, i) => `load-${published + i}`);
      published += ids.length;
      await Promise.all(ids.map((memeId) => queue.publishJob({ memeId })));
    };

    while (published < 100) await publishBatch(10);
    await eventually(() => expect(handled.size).toBeGreaterThanOrEqual(50));
    let killed = false;
    const killing = closeConnectionsNamed(connectionNameOf(queue), 'memelab test: broker-side close').finally(() => {
      killed = true;
    });
    // Keep publishing while the broker closes the connection, so publishes are in flight when it drops.
    while (!killed && published < 250) {
      await publishBatch(5);
      await sleep(10);
    }
    expect(await killing).toBe(1);
    while (published < total) await publishBatch(10);

    await eventually(() => expect(handled.size).toBe(total), 30_000);
    const messages = logs.map((entry) => entry.message);
    expect(messages).toContain('lost the RabbitMQ connection; reconnecting');
    expect(messages).toContain('reconnected to RabbitMQ');
    expect(queue.isReady()).toBe(true);
    await eventually(async () => expect(await queue.depth()).toBe(0));
  });

  it('rejects setup and publishing clearly, without hanging, when the broker is unreachable', async () => {
    const port = await closedPort();
    const queue = makeQueue({ url: `amqp://guest:secret@127.0.0.1:${port}` });
    const started = performance.now();

    const setup = queue.setup();

    await expect(setup).rejects.toThrow(QueueUnavailableError);
    await expect(setup).rejects.toThrow(`cannot connect to RabbitMQ at amqp://guest:***@127.0.0.1:${port}`);
    await expect(queue.publishJob({ memeId: 'nowhere' })).rejects.toThrow(QueueUnavailableError);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(queue.isReady()).toBe(false);
  });

  it('rejects publishing during an outage and reconnects by itself once the broker is back', async () => {
    const broker = new URL(AMQP_URL);
    const proxy = new TcpProxy(broker.hostname, Number(broker.port || 5672));
    await proxy.start();
    try {
      const proxied = new URL(AMQP_URL);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(proxy.port);
      const queue = makeQueue({ url: proxied.toString(), unavailableWaitMs: 300 });
      const received: string[] = [];
      await queue.setup();
      await queue.consumeJobs(
        async ({ job }) => {
          received.push(job.memeId);
          return DONE;
        },
        { prefetch: 1 },
      );

      await proxy.stop();
      await eventually(() => expect(queue.isReady()).toBe(false));
      const started = performance.now();
      await expect(queue.publishJob({ memeId: 'during-outage' })).rejects.toThrow(QueueUnavailableError);
      expect(performance.now() - started).toBeLessThan(2000);

      await proxy.start();
      await eventually(() => expect(queue.isReady()).toBe(true), 10_000);
      await queue.publishJob({ memeId: 'after-outage' });
      await eventually(() => expect(received).toEqual(['after-outage']));
    } finally {
      await proxy.stop();
    }
  });

  it('waits out a retry in the delay queue of the shortest level that is long enough', async () => {
    const queue = makeQueue({ retryDelaysMs: [200, 1000] });
    await queue.setup();
    const deliveries: { received: ReceivedJob; at: number }[] = [];
    await queue.consumeJobs(
      async (received) => {
        deliveries.push({ received, at: performance.now() });
        return received.attempt === 1 ? { kind: 'retry', delayMs: 300, reason: 'storage busy' } : DONE;
      },
      { prefetch: 1 },
    );
    const [shortLevel, longLevel] = queue.names.delayLevels;
    if (shortLevel === undefined || longLevel === undefined) throw new Error('expected two delay levels');

    await queue.publishJob({ memeId: 'delayed-1' }, { correlationId: 'corr-delay' });

    await eventually(() =>
      withAdminChannel(async (channel) => {
        expect((await channel.checkQueue(longLevel.queue)).messageCount).toBe(1);
        expect((await channel.checkQueue(shortLevel.queue)).messageCount).toBe(0);
      }),
    );
    expect(await queue.depth()).toBe(0);
    await eventually(() => expect(deliveries).toHaveLength(2), 5000);
    expect(deliveries[1]?.received).toMatchObject({ attempt: 2, headers: { correlationId: 'corr-delay' } });
    expect((deliveries[1]?.at ?? 0) - (deliveries[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('keeps the reason, attempt and correlation id on the copy in the dead-letter queue', async () => {
    const queue = makeQueue();
    await queue.setup();
    await queue.consumeJobs(async () => ({ kind: 'dead', reason: 'template does not exist' }), { prefetch: 1 });

    await queue.publishJob({ memeId: 'dead-1' }, { correlationId: 'corr-dead' });

    await eventually(async () => expect(await queue.deadLetterDepth()).toBe(1));
    const message = await withAdminChannel((channel) => channel.get(queue.names.deadLetterQueue, { noAck: true }));
    if (message === false) throw new Error('dead-letter queue is empty');
    expect(JSON.parse(message.content.toString())).toEqual({ memeId: 'dead-1' });
    expect(message.properties.headers).toMatchObject({
      'x-death-reason': 'template does not exist',
      'x-attempt': 1,
      'x-correlation-id': 'corr-dead',
    });
    expect(message.properties.deliveryMode).toBe(2);
  });

  it('routes a job rejected without requeue to the dead-letter queue', async () => {
    const queue = makeQueue();
    await queue.setup();
    await queue.publishJob({ memeId: 'rejected' });

    await withAdminChannel(async (channel) => {
      const message = await channel.get(queue.names.renderQueue, { noAck: false });
      if (message === false) throw new Error('render queue is empty');
      channel.nack(message, false, false);
    });

    await eventually(async () => expect(await queue.deadLetterDepth()).toBe(1));
    expect(await queue.depth()).toBe(0);
  });

  it('moves a malformed job message to the dead-letter queue without calling the handler', async () => {
    const queue = makeQueue();
    await queue.setup();
    let calls = 0;
    await queue.consumeJobs(
      async () => {
        calls++;
        return DONE;
      },
      { prefetch: 1 },
    );

    await withAdminChannel(async (channel) => {
      channel.publish(queue.names.jobsExchange, 'render', Buffer.from('not json'));
    });

    await eventually(async () => expect(await queue.deadLetterDepth()).toBe(1));
    const message = await withAdminChannel((channel) => channel.get(queue.names.deadLetterQueue, { noAck: true }));
    if (message === false) throw new Error('dead-letter queue is empty');
    expect(String(message.properties.headers?.['x-death-reason'])).toMatch(/^malformed job message/);
    expect(calls).toBe(0);
  });

  it('declares its queues again and resumes consuming after the broker deletes them', async () => {
    const queue = makeQueue();
    await queue.setup();
    const received: string[] = [];
    await queue.consumeJobs(
      async ({ job }) => {
        received.push(job.memeId);
        return DONE;
      },
      { prefetch: 1 },
    );

    await withAdminChannel((channel) => channel.deleteQueue(queue.names.renderQueue));

    await eventually(() => queue.publishJob({ memeId: 'after-delete' }));
    await eventually(() => expect(received).toContain('after-delete'));
  });

  it('resubscribes event subscribers after a reconnect', async () => {
    const api = makeQueue();
    const worker = peerOf(api);
    await api.setup();
    await worker.setup();
    const received: MemeRenderedEvent[] = [];
    await api.subscribeEvents((event) => received.push(event));
    const event: MemeRenderedEvent = { memeId: 'after-reconnect', status: 'done', at: '2024-05-01T00:00:00.000Z' };

    expect(await closeConnectionsNamed(connectionNameOf(api), 'memelab test: api reconnect')).toBe(1);
    await eventually(() => expect(api.isReady()).toBe(true));

    // Events are best effort: one published before the new subscription exists is missed.
    await eventually(async () => {
      await worker.publishEvent(event);
      await sleep(50);
      expect(received).toContainEqual(event);
    });
  });

  it('identifies its connection to the broker by its connection name', async () => {
    const queue = makeQueue();
    await queue.setup();

    await eventually(async () => expect(await connectionPids(connectionNameOf(queue))).toHaveLength(1));

    await queue.close();
    await eventually(async () => expect(await connectionPids(connectionNameOf(queue))).toHaveLength(0));
  });

  it('declares its job, retry and dead-letter queues as quorum queues', async () => {
    const queue = makeQueue();
    await queue.setup();
    const names = [
      queue.names.renderQueue,
      queue.names.deadLetterQueue,
      ...queue.names.delayLevels.map((l) => l.queue),
    ];
    for (const name of names) {
      // Declaring the same name as a classic queue is refused: the broker holds a quorum queue.
      const refused = await withAdminChannel((channel) =>
        channel.assertQueue(name, { durable: true, arguments: { 'x-queue-type': 'classic' } }).then(
          () => undefined,
          (error: { code?: number }) => error.code,
        ),
      );
      expect(refused, name).toBe(406);
    }
  });

  it('dead-letters a job whose deliveries keep dying with their consumer, after the delivery limit', async () => {
    const queue = makeQueue({ deliveryLimit: 2 });
    await queue.setup();
    await queue.publishJob({ memeId: 'poison' });
    // Each consumer dies holding the job (its channel closes unacknowledged), as a crashing worker would.
    let deliveries = 0;
    for (let round = 0; round < 5 && (await queue.deadLetterDepth()) === 0; round++) {
      await withAdminChannel(async (channel) => {
        const message = await channel.get(queue.names.renderQueue, { noAck: false });
        if (message !== false) deliveries++;
      });
      await sleep(100);
    }
    await eventually(async () => expect(await queue.deadLetterDepth()).toBe(1));
    expect(deliveries).toBeGreaterThanOrEqual(2);
    expect(deliveries).toBeLessThanOrEqual(3);
    expect(await queue.depth()).toBe(0);
  });

  it('replaces an empty classic queue left by an older install with a quorum queue', async () => {
    const queue = makeQueue();
    const entries: LogEntry[] = [];
    const migrating = peerOf(queue, { log: capturingLog(entries) });
    await withAdminChannel((channel) => channel.assertQueue(queue.names.renderQueue, { durable: true }));

    await migrating.setup();

    expect(entries.map((entry) => entry.message)).toContain(
      'replaced an empty queue of an older install with a quorum queue',
    );
    const received: string[] = [];
    await migrating.consumeJobs(
      async ({ job }) => {
        received.push(job.memeId);
        return DONE;
      },
      { prefetch: 1 },
    );
    await migrating.publishJob({ memeId: 'after-migration' });
    await eventually(() => expect(received).toEqual(['after-migration']));
  });

  it('refuses to start, saying what to do, on a classic queue that still holds jobs', async () => {
    const queue = makeQueue();
    const starting = peerOf(queue, { unavailableWaitMs: 200 });
    await withAdminChannel(async (channel) => {
      await channel.assertQueue(queue.names.renderQueue, { durable: true });
      channel.sendToQueue(queue.names.renderQueue, Buffer.from('{"memeId":"old"}'), { persistent: true });
      await eventually(async () => expect((await channel.checkQueue(queue.names.renderQueue)).messageCount).toBe(1));
    });

    const started = Date.now();
    const failure = await starting.setup().then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(QueueTopologyError);
    expect(String((failure as Error).message)).toMatch(
      new RegExp(`'${queue.names.renderQueue}'.*classic queue.*quorum.*1 messages.*delete_queue`, 's'),
    );
    expect((failure as QueueTopologyError).retryable).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    // The old jobs are still there for the operator to drain.
    const left = await withAdminChannel(
      async (channel) => (await channel.checkQueue(queue.names.renderQueue)).messageCount,
    );
    expect(left).toBe(1);
  });
});

function connectionNameOf(queue: RabbitMqQueue): string {
  const name = connectionNames.get(queue);
  if (name === undefined) throw new Error('queue has no connection name');
  return name;
}
