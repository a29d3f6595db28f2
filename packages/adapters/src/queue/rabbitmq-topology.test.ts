import { describe, expect, it } from 'vitest';
import { delayLevelFor, queueDeclarations, rabbitTopology } from './rabbitmq-topology.ts';

describe('RabbitMQ topology', () => {
  it('names every exchange and queue under the prefix', () => {
    expect(rabbitTopology('memelab', [1000])).toEqual({
      jobsExchange: 'memelab.jobs',
      renderQueue: 'memelab.render',
      deadLetterExchange: 'memelab.dlx',
      deadLetterQueue: 'memelab.render.dead',
      eventsExchange: 'memelab.events',
      delayLevels: [{ delayMs: 1000, queue: 'memelab.render.delay.1000' }],
    });
  });

  it('sorts delay levels and drops duplicates', () => {
    const levels = rabbitTopology('p', [30_000, 1000, 5000, 1000]).delayLevels.map((level) => level.delayMs);

    expect(levels).toEqual([1000, 5000, 30_000]);
  });

  it.each([
    [0, 1000],
    [1000, 1000],
    [1001, 5000],
    [5000, 5000],
    [29_999, 30_000],
    [600_000, 30_000],
  ])('waits a retry of %i ms in the %i ms delay queue', (delayMs, expected) => {
    const topology = rabbitTopology('p', [1000, 5000, 30_000]);

    expect(delayLevelFor(topology, delayMs).delayMs).toBe(expected);
  });

  it.each([[[]], [[0]], [[-5]], [[1.5]], [[Number.NaN]]])('rejects retry delays %j', (delays) => {
    expect(() => rabbitTopology('p', delays)).toThrow(RangeError);
  });

  it.each(['', '.hidden', 'has space', 'a/b', 'x'.repeat(101)])('rejects the prefix %j', (prefix) => {
    expect(() => rabbitTopology(prefix, [1000])).toThrow(RangeError);
  });

  it('declares every queue as a quorum queue, with a delivery limit on the render queue', () => {
    const declarations = queueDeclarations(rabbitTopology('p', [1000, 5000]), 7);

    expect(declarations.map(({ queue }) => queue)).toEqual([
      'p.render',
      'p.render.dead',
      'p.render.delay.1000',
      'p.render.delay.5000',
    ]);
    for (const { options } of declarations) {
      expect(options.durable).toBe(true);
      expect(options.arguments?.['x-queue-type']).toBe('quorum');
    }
    expect(declarations[0]?.options.arguments?.['x-delivery-limit']).toBe(7);
    // Retries expire back into the render queue at least once, never dropped on the way.
    expect(declarations[2]?.options).toMatchObject({
      messageTtl: 1000,
      deadLetterExchange: 'p.jobs',
      deadLetterRoutingKey: 'render',
      arguments: { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' },
    });
  });

  it.each([0, -1, 1.5])('rejects the delivery limit %d', (limit) => {
    expect(() => queueDeclarations(rabbitTopology('p', [1000]), limit)).toThrow(RangeError);
  });
});
