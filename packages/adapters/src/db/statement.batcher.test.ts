import { describe, expect, it } from 'vitest';
import { StatementBatcher } from './statement.batcher.ts';

/** A statement that records each batch and answers each key with its upper case, after `gate` opens. */
const recording = (maxInFlight = 1) => {
  const batches: string[][] = [];
  let open: () => void = () => {};
  let gate = Promise.resolve();
  const batcher = new StatementBatcher<string, string>(
    async (keys) => {
      batches.push(keys);
      await gate;
      if (keys.includes('broken')) throw new Error('statement failed');
      return new Map(keys.filter((key) => key !== 'missing').map((key) => [key, key.toUpperCase()]));
    },
    (key) => key,
    { maxBatch: 3, maxInFlight },
  );
  const hold = (): void => {
    gate = new Promise((resolve) => {
      open = resolve;
    });
  };
  return { batcher, batches, hold, release: () => open() };
};

describe('StatementBatcher', () => {
  it('runs the requests of one turn in one statement and answers each', async () => {
    const { batcher, batches } = recording();
    const answers = await Promise.all([batcher.submit('a'), batcher.submit('b'), batcher.submit('missing')]);
    expect(answers).toEqual(['A', 'B', undefined]);
    expect(batches).toEqual([['a', 'b', 'missing']]);
  });

  it('gathers the requests made while a statement runs into the next one', async () => {
    const { batcher, batches, hold, release } = recording();
    hold();
    const first = batcher.submit('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([['a']]);
    const later = [batcher.submit('b'), batcher.submit('c')];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toHaveLength(1);
    release();
    expect(await Promise.all([first, ...later])).toEqual(['A', 'B', 'C']);
    expect(batches).toEqual([['a'], ['b', 'c']]);
  });

  it('puts a key at most once in a batch, and no more than the batch size', async () => {
    const { batcher, batches } = recording();
    const answers = await Promise.all(['a', 'a', 'b', 'c', 'd'].map((key) => batcher.submit(key)));
    expect(answers).toEqual(['A', 'A', 'B', 'C', 'D']);
    expect(batches).toEqual([
      ['a', 'b', 'c'],
      ['a', 'd'],
    ]);
  });

  it('rejects every request of a failed statement and carries on with the next', async () => {
    const { batcher } = recording();
    const failed = Promise.allSettled([batcher.submit('broken'), batcher.submit('x')]);
    expect((await failed).map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(await batcher.submit('y')).toBe('Y');
  });

  it('with two statements in flight, sends the next batch while the first is still running', async () => {
    const { batcher, batches, hold, release } = recording(2);
    hold();
    const first = batcher.submit('a');
    await new Promise((resolve) => setImmediate(resolve));
    const second = batcher.submit('b');
    await new Promise((resolve) => setImmediate(resolve));
    const third = batcher.submit('c');
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([['a'], ['b']]);
    release();
    expect(await Promise.all([first, second, third])).toEqual(['A', 'B', 'C']);
    expect(batches).toEqual([['a'], ['b'], ['c']]);
  });
});
