import { memeIdOf, parseMemeSpec } from '@memelab/core';
import { MemeJobPublisher, MemeRepository } from '@memelab/pipeline';
import { createLogger } from '@memelab/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../testing/test-stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ env: { SWEEPER_STALE_AFTER_MS: '100' } });
});

afterAll(async () => {
  await stack.stop();
});

const newMeme = (...captions: string[]) => {
  const spec = parseMemeSpec({ template: 'rack-of-doom', captions });
  return { id: memeIdOf(spec), spec };
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('queued meme sweeper', () => {
  it('publishes a meme accepted but never published, and the worker renders it', async () => {
    // A crash between the insert and the publish leaves exactly this row behind.
    const { id, spec } = newMeme('lost', 'in transit');
    const memes = new MemeRepository(stack.infrastructure.db);
    await memes.insertIfAbsent({ id, spec, correlationId: 'sweeper-test', claimedBy: 'api@elsewhere' });
    await sleep(150);

    expect(await stack.api.sweeper.sweep()).toBe(1);
    const done = (await (await fetch(`${stack.baseUrl}/api/memes/${id}?wait=20`)).json()) as { status: string };
    expect(done.status).toBe('done');
  });

  it('never publishes again a meme whose job the broker confirmed, however long it waits', async () => {
    const { id, spec } = newMeme('safely', 'queued');
    const memes = new MemeRepository(stack.infrastructure.db);
    await memes.insertIfAbsent({ id, spec, correlationId: undefined, claimedBy: 'api@elsewhere' });
    await memes.markPublished([id]);
    await sleep(150);

    const claimed = await memes.claimUnpublished({
      claimer: 'api@here',
      claimedBefore: new Date(),
      limit: 10,
    });
    expect(claimed.map((row) => row.id)).not.toContain(id);
  });

  it('claims a stale row once, so sweepers in several API replicas never both publish it', async () => {
    const { id, spec } = newMeme('claimed', 'once');
    const memes = new MemeRepository(stack.infrastructure.db);
    await memes.insertIfAbsent({ id, spec, correlationId: undefined, claimedBy: 'api@elsewhere' });
    await sleep(150);
    const claim = { claimer: 'api@here', claimedBefore: new Date(Date.now() - 100), limit: 10 };
    const [first, second] = await Promise.all([memes.claimUnpublished(claim), memes.claimUnpublished(claim)]);
    expect([...first, ...second].filter((row) => row.id === id)).toHaveLength(1);
    const again = await memes.claimUnpublished({ ...claim, claimedBefore: new Date(Date.now() - 100) });
    expect(again.map((row) => row.id)).not.toContain(id);
  });

  it('takes over at once the fresh claims of an earlier life of the same process name, and no one else’s', async () => {
    const { id, spec } = newMeme('left behind', 'by a crash');
    const memes = new MemeRepository(stack.infrastructure.db);
    await memes.insertIfAbsent({ id, spec, correlationId: undefined, claimedBy: 'api@pod-1' });
    await sleep(20);
    const longAgo = new Date(Date.now() - 60_000);
    const startedAt = new Date();

    const byOther = await memes.claimUnpublished({
      claimer: 'api@pod-2',
      claimedBefore: longAgo,
      startedAt,
      limit: 10,
    });
    expect(byOther.map((row) => row.id)).not.toContain(id);
    const byRestarted = await memes.claimUnpublished({
      claimer: 'api@pod-1',
      claimedBefore: longAgo,
      startedAt,
      limit: 10,
    });
    expect(byRestarted.map((row) => row.id)).toEqual([id]);
  });

  it('publishes again at start, in embedded mode, the memes whose jobs were in the stopped process’s memory', async () => {
    const { id, spec } = newMeme('queued in memory', 'when the process stopped');
    const memes = new MemeRepository(stack.infrastructure.db);
    await memes.insertIfAbsent({ id, spec, correlationId: undefined, claimedBy: 'api@earlier' });
    await memes.markPublished([id]);
    await sleep(20);
    const publisher = new MemeJobPublisher({
      memes,
      queue: stack.infrastructure.queue,
      logger: createLogger({ name: 'test', level: 'silent' }),
      claimer: 'api@restarted',
    });

    // A later pass (no start time) leaves it alone: it is in the running process's queue.
    expect(await publisher.republishUnpublished({ staleAfterMs: 60_000 })).toBe(0);
    expect(
      await publisher.republishUnpublished({ staleAfterMs: 60_000, startedAt: new Date() }),
    ).toBeGreaterThanOrEqual(1);
    const done = (await (await fetch(`${stack.baseUrl}/api/memes/${id}?wait=20`)).json()) as { status: string };
    expect(done.status).toBe('done');
  });
});
