import { describe, expect, it } from 'vitest';
import { DoneTracker, EventStreamParser } from './done-tracker.ts';

describe('done tracker', () => {
  it('times a meme from its intended send time to done', () => {
    const tracker = new DoneTracker();
    tracker.accept('a', 1000, false);
    tracker.rendered('a', 1250);
    expect(tracker.doneCount).toBe(1);
    expect(tracker.latency.summary().max).toBeCloseTo(250, 0);
  });

  it('counts a meme that finished before its acceptance was read', () => {
    const tracker = new DoneTracker();
    tracker.rendered('b', 1100);
    expect(tracker.doneCount).toBe(0);
    tracker.accept('b', 1000, false);
    expect(tracker.doneCount).toBe(1);
    expect(tracker.latency.summary().max).toBeCloseTo(100, 0);
  });

  it('ignores memes it did not send and counts each meme once', () => {
    const tracker = new DoneTracker();
    tracker.accept('c', 0, false);
    tracker.rendered('c', 10);
    tracker.rendered('c', 20);
    tracker.rendered('someone-elses', 5);
    expect(tracker.doneCount).toBe(1);
    expect(tracker.latency.summary().count).toBe(1);
  });

  it('lists accepted memes never seen done as pending', async () => {
    const tracker = new DoneTracker();
    tracker.accept('d', 0, false);
    tracker.accept('e', 0, true);
    await tracker.drain(10);
    expect(tracker.pending()).toEqual(['d']);
  });

  it('drain returns as soon as the last meme is done', async () => {
    const tracker = new DoneTracker();
    tracker.accept('f', 0, false);
    const drained = tracker.drain(60_000);
    tracker.rendered('f');
    await expect(drained).resolves.toBeUndefined();
  });
});

describe('event stream parser', () => {
  it('parses events split across chunks and skips comments', () => {
    const events: Array<[string, string]> = [];
    const parser = new EventStreamParser();
    const collect = (event: string, data: string) => events.push([event, data]);
    parser.push(': heartbeat\n\nevent: meme\nda', collect);
    parser.push('ta: {"id":"x"}\nid: x\n\n', collect);
    parser.push('data: plain\r\n\r\n', collect);
    expect(events).toEqual([
      ['meme', '{"id":"x"}'],
      ['message', 'plain'],
    ]);
  });
});
