import { memeIdOf, parseMemeSpec } from '@memelab/core';
import { MemeRepository } from '@memelab/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../testing/test-stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ env: { SWEEPER_STALE_AFTER_MS: '100' } });
});

afterAll(async () => {
  await stack.stop();
});

describe('queued meme sweeper', () => {
  it('republishes a meme accepted but never published, and the worker renders it', async () => {
    // A crash between the insert and the publish leaves exactly this row behind.
    const spec = parseMemeSpec({ template: 'rack-of-doom', captions: ['lost', 'in transit'] });
    const id = memeIdOf(spec);
    const memes = new MemeRepository(stack.infrastructure.db);
    await memes.insertIfAbsent({ id, spec, correlationId: 'sweeper-test' });
    await new Promise((resolve) => setTimeout(resolve, 150));

    expect(await stack.api.sweeper.sweep()).toBe(1);
    const done = (await (await fetch(`${stack.baseUrl}/api/memes/${id}?wait=20`)).json()) as { status: string };
    expect(done.status).toBe('done');
  });

  it('claims a stale row once, so sweepers in several API replicas never both republish it', async () => {
    const spec = parseMemeSpec({ template: 'rack-of-doom', captions: ['claimed', 'once'] });
    const memes = new MemeRepository(stack.infrastructure.db);
    await memes.insertIfAbsent({ id: memeIdOf(spec), spec, correlationId: undefined });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const staleBefore = new Date(Date.now() - 100);
    const [first, second] = await Promise.all([
      memes.claimStaleQueued(staleBefore, 10),
      memes.claimStaleQueued(staleBefore, 10),
    ]);
    expect(first.length + second.length).toBe(1);
    expect(await memes.claimStaleQueued(new Date(Date.now() - 100), 10)).toEqual([]);
  });
});
