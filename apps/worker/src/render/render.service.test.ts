import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Database,
  LocalObjectStore,
  type MemeRenderedEvent,
  MemoryQueue,
  type ObjectStore,
} from '@memelab/adapters';
import { openTestPgliteDatabase } from '@memelab/adapters/testing';
import { memeIdOf, parseMemeSpec } from '@memelab/core';
import {
  BackgroundRepository,
  fromMemeSnapshot,
  MemeBaseResolver,
  MemeRepository,
  TemplateRepository,
  TemplateService,
} from '@memelab/pipeline';
import { createLogger, createMetricsRegistry } from '@memelab/platform';
import { MemeRenderer, TemplateCatalog } from '@memelab/render';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWorkerMetrics } from '../worker.metrics.ts';
import { RenderService, retryDelayMs } from './render.service.ts';

const retry = { maxAttempts: 3, budgetMs: 60_000, baseDelayMs: 100, maxDelayMs: 250 };
const catalog = await TemplateCatalog.load();
const renderer = new MemeRenderer();

/**
 * An object store that fails its first `failures` writes, standing in for an S3 outage;
 * every other call goes to a real local store.
 */
const flakyStore = (inner: ObjectStore, failures: number): ObjectStore => {
  let remaining = failures;
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'put') {
        return async (...args: Parameters<ObjectStore['put']>) => {
          if (remaining > 0) {
            remaining--;
            throw new Error('connect ECONNREFUSED 127.0.0.1:9000');
          }
          return target.put(...args);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
};

let dir: string;
let db: Database;
let queue: MemoryQueue;
let events: MemeRenderedEvent[];

// One database for the file, emptied before each test: opening one costs about a second.
beforeAll(async () => {
  db = await openTestPgliteDatabase({ migrated: true });
});

afterAll(async () => {
  await db?.close();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'memelab-worker-'));
  await db.query('TRUNCATE memes, templates, backgrounds');
  queue = new MemoryQueue();
  events = [];
  await queue.subscribeEvents((event) => events.push(event));
});

afterEach(async () => {
  await queue.close();
  await rm(dir, { recursive: true, force: true });
});

const serviceWith = (
  store: ObjectStore,
  policy = retry,
  onTransientFailure?: () => void,
  memes = new MemeRepository(db),
): RenderService => {
  const templates = new TemplateService(catalog, new TemplateRepository(db), store);
  return new RenderService({
    ...(onTransientFailure === undefined ? {} : { onTransientFailure }),
    memes,
    resolver: new MemeBaseResolver(templates, new BackgroundRepository(db), store),
    renderer,
    store,
    queue,
    metrics: createWorkerMetrics(createMetricsRegistry()),
    retry: policy,
    logger: createLogger({ name: 'test', level: 'silent' }),
  });
};

const queuedMeme = async (input: unknown): Promise<string> => {
  const spec = parseMemeSpec(input);
  const id = memeIdOf(spec);
  await new MemeRepository(db).insertIfAbsent({ id, spec, correlationId: undefined });
  return id;
};

describe('render service', () => {
  it('renders a queued meme, stores it under its content key and announces it', async () => {
    const store = new LocalObjectStore(join(dir, 'objects'));
    await store.setup();
    const id = await queuedMeme({ template: 'rack-of-doom', captions: ['hello', 'world'] });
    expect(await serviceWith(store).render(id, 1)).toEqual({ kind: 'done' });
    const meme = await new MemeRepository(db).find(id);
    expect(meme).toMatchObject({ status: 'done', objectKey: `memes/${id.slice(0, 2)}/${id}.jpg`, attempts: 1 });
    expect((await store.head(meme?.objectKey ?? ''))?.contentType).toBe('image/jpeg');
    expect(events).toEqual([expect.objectContaining({ memeId: id, status: 'done' })]);
    // The event carries the stored meme, so listeners need not read it back.
    expect(fromMemeSnapshot(events[0]?.meme)).toEqual(meme);
  });

  it('acknowledges a redelivered job for a meme already done without rendering again', async () => {
    const store = new LocalObjectStore(join(dir, 'objects'));
    await store.setup();
    const id = await queuedMeme({ template: 'rack-of-doom', captions: ['twice'] });
    const service = serviceWith(store);
    await service.render(id, 1);
    expect(await service.render(id, 1)).toEqual({ kind: 'done' });
    expect((await new MemeRepository(db).find(id))?.attempts).toBe(1);
  });

  it('dead-letters a job for a meme that does not exist', async () => {
    const store = new LocalObjectStore(join(dir, 'objects'));
    expect(await serviceWith(store).render('a'.repeat(24), 1)).toMatchObject({ kind: 'dead' });
  });

  it('fails a meme at once when its input is bad (a template that no longer exists)', async () => {
    const store = new LocalObjectStore(join(dir, 'objects'));
    await store.setup();
    const id = await queuedMeme({ template: 'deleted-meanwhile', captions: ['x'] });
    const outcome = await serviceWith(store).render(id, 1);
    expect(outcome).toEqual({ kind: 'dead', reason: 'There is no template "deleted-meanwhile".' });
    expect(await new MemeRepository(db).find(id)).toMatchObject({
      status: 'failed',
      failureReason: outcome.kind === 'dead' ? outcome.reason : '',
    });
    expect(events.at(-1)).toMatchObject({ memeId: id, status: 'failed' });
  });

  it('retries a transient failure with backoff, then succeeds', async () => {
    const local = new LocalObjectStore(join(dir, 'objects'));
    await local.setup();
    let told = 0;
    const service = serviceWith(flakyStore(local, 1), retry, () => told++);
    const id = await queuedMeme({ template: 'rack-of-doom', captions: ['flaky'] });
    const outcome = await service.render(id, 1);
    expect(outcome).toMatchObject({ kind: 'retry', reason: expect.stringMatching(/ECONNREFUSED/) });
    expect(outcome.kind === 'retry' && outcome.delayMs).toBeGreaterThanOrEqual(50);
    expect(outcome.kind === 'retry' && outcome.delayMs).toBeLessThanOrEqual(100);
    // The worker hears of it, to check its dependencies and pause if one is down.
    expect(told).toBe(1);
    expect(await service.render(id, 2)).toEqual({ kind: 'done' });
    expect((await new MemeRepository(db).find(id))?.status).toBe('done');
  });

  it('fails the meme once the attempts run out', async () => {
    const local = new LocalObjectStore(join(dir, 'objects'));
    await local.setup();
    const service = serviceWith(flakyStore(local, 99));
    const id = await queuedMeme({ template: 'rack-of-doom', captions: ['doomed'] });
    expect((await service.render(id, 1)).kind).toBe('retry');
    expect((await service.render(id, 2)).kind).toBe('retry');
    expect((await service.render(id, 3)).kind).toBe('dead');
    expect(await new MemeRepository(db).find(id)).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('keeps retrying a transient failure within its time budget, past what a count of 3 would allow in seconds', async () => {
    const local = new LocalObjectStore(join(dir, 'objects'));
    await local.setup();
    const service = serviceWith(flakyStore(local, 5), { ...retry, maxAttempts: 10 });
    const id = await queuedMeme({ template: 'rack-of-doom', captions: ['long', 'outage'] });
    // The first attempt began 50 s ago: still within the 60 s budget.
    const firstAttemptAt = Date.now() - 50_000;
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await service.render(id, attempt, firstAttemptAt)).kind).toBe('retry');
    }
    expect(await service.render(id, 6, firstAttemptAt)).toEqual({ kind: 'done' });
    expect(await new MemeRepository(db).find(id)).toMatchObject({ status: 'done', attempts: 6 });
  });

  it('fails the meme once its time budget is spent, and removes the object written for it', async () => {
    const local = new LocalObjectStore(join(dir, 'objects'));
    await local.setup();
    const memes = new MemeRepository(db);
    const id = await queuedMeme({ template: 'rack-of-doom', captions: ['written', 'then lost'] });
    // The image was stored, then the database failed to record it done (a database outage).
    const failingDone = new Proxy(memes, {
      get: (target, property, receiver) =>
        property === 'markManyDone'
          ? async () => {
              throw new Error('Connection terminated unexpectedly');
            }
          : Reflect.get(target, property, receiver),
    });
    const service = serviceWith(local, { ...retry, maxAttempts: 10 }, undefined, failingDone);
    const firstAttemptAt = Date.now() - 59_990;
    expect(await service.render(id, 1, firstAttemptAt)).toMatchObject({ kind: 'dead' });
    expect(await memes.find(id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await local.head(`memes/${id.slice(0, 2)}/${id}.jpg`)).toBeUndefined();
  });

  it('never counts more attempts than the maximum, even for a delivery beyond it', async () => {
    const local = new LocalObjectStore(join(dir, 'objects'));
    await local.setup();
    const service = serviceWith(flakyStore(local, 99));
    const id = await queuedMeme({ template: 'rack-of-doom', captions: ['one', 'delivery too many'] });
    expect((await service.render(id, 1)).kind).toBe('retry');
    expect((await service.render(id, 2)).kind).toBe('retry');
    // The third attempt's worker died before settling; its job comes back once more.
    await new MemeRepository(db).beginAttempt(id, retry.maxAttempts);
    expect(await service.render(id, 3)).toMatchObject({ kind: 'dead', reason: 'gave up after 3 attempts' });
    expect(await new MemeRepository(db).find(id)).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('starts the jobs that arrive together in one statement, and writes the result of a duplicate delivery once', async () => {
    const store = new LocalObjectStore(join(dir, 'objects'));
    await store.setup();
    const inner = new MemeRepository(db);
    const calls: string[] = [];
    const counting = new Proxy(inner, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(`${String(property)}:${Array.isArray(args[0]) ? args[0].length : 1}`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const service = serviceWith(store, retry, undefined, counting);
    const ids = await Promise.all(
      ['one', 'two', 'three'].map((caption) => queuedMeme({ template: 'rack-of-doom', captions: [caption] })),
    );
    const first = ids[0] ?? '';
    // Three jobs at once, and a second delivery of the first while it is in flight.
    const outcomes = await Promise.all([...ids, first].map((id, index) => service.render(id, index === 3 ? 2 : 1)));
    expect(outcomes).toEqual([{ kind: 'done' }, { kind: 'done' }, { kind: 'done' }, { kind: 'done' }]);
    expect(calls.filter((call) => call.startsWith('beginAttempts'))[0]).toBe('beginAttemptsAndMarkDone:3');
    for (const id of ids) expect(await inner.find(id)).toMatchObject({ status: 'done' });
    // The duplicate waited for the first batch, so it found the meme done (or counted its own attempt once).
    expect((await inner.find(first))?.attempts).toBeLessThanOrEqual(2);
    expect(events.filter((event) => event.memeId === first && event.meme !== undefined)).toHaveLength(1);
  });

  it('backs off exponentially up to the maximum delay, with jitter in the upper half of each step', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, retry, () => 0))).toEqual([50, 100, 125, 125]);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, retry, () => 1))).toEqual([100, 200, 250, 250]);
  });
});
