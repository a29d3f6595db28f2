import type { PgliteDatabase } from '@memelab/adapters';
import { openTestPgliteDatabase } from '@memelab/adapters/testing';
import { memeIdOf, parseMemeSpec } from '@memelab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemeRepository, type NewMeme } from './meme.repository.ts';

const newMeme = (...captions: string[]): NewMeme => {
  const spec = parseMemeSpec({ template: 'rack-of-doom', captions });
  return { id: memeIdOf(spec), spec, correlationId: `corr-${captions.join('-')}`, claimedBy: 'api@test' };
};

describe('MemeRepository.insertManyIfAbsent', () => {
  let db: PgliteDatabase;
  let memes: MemeRepository;

  beforeAll(async () => {
    db = await openTestPgliteDatabase({ migrated: true });
    memes = new MemeRepository(db);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('inserts new memes and returns existing ones as they are, in one statement for the new', async () => {
    const old = newMeme('already', 'here');
    await memes.insertIfAbsent(old);
    await memes.markDone(old.id, { objectKey: 'k.jpg', width: 600, height: 600, bytes: 10 });
    // Quotes, backslashes and non-Latin text survive the array of specs.
    const fresh = [newMeme('say "cheese"', 'back\\slash'), newMeme('ünïcødé', '日本語 🎉')];

    const outcomes = await memes.insertManyIfAbsent([old, ...fresh]);

    expect(outcomes.get(old.id)).toMatchObject({ created: false, meme: { status: 'done', objectKey: 'k.jpg' } });
    for (const meme of fresh) {
      expect(outcomes.get(meme.id)).toMatchObject({
        created: true,
        meme: { status: 'queued', spec: meme.spec, correlationId: meme.correlationId, publishedAt: null },
      });
      expect(await memes.find(meme.id)).toMatchObject({ spec: meme.spec, templateId: 'rack-of-doom' });
    }
    const { rows } = await db.query<{ publish_claimed_by: string }>(
      'SELECT publish_claimed_by FROM memes WHERE id = ANY($1::text[])',
      [fresh.map((meme) => meme.id)],
    );
    expect(rows.map((row) => row.publish_claimed_by)).toEqual(['api@test', 'api@test']);
  });

  it('returns nothing for an empty batch', async () => {
    expect((await memes.insertManyIfAbsent([])).size).toBe(0);
  });

  it('begins attempts and marks others done in one statement, never beyond the maximum attempts', async () => {
    const [starting, finishing, exhausted] = [newMeme('to', 'start'), newMeme('to', 'finish'), newMeme('no', 'more')];
    await memes.insertManyIfAbsent([starting, finishing, exhausted]);
    await memes.beginAttempts([finishing.id, exhausted.id], 1);

    const changed = await memes.beginAttemptsAndMarkDone(
      [starting.id, exhausted.id],
      [{ id: finishing.id, objectKey: 'f.jpg', width: 600, height: 400, bytes: 1234 }],
      1,
    );

    expect([...changed.keys()].sort()).toEqual([starting.id, finishing.id].sort());
    expect(changed.get(starting.id)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(changed.get(finishing.id)).toMatchObject({ status: 'done', objectKey: 'f.jpg', bytes: 1234, attempts: 1 });
    expect(await memes.find(exhausted.id)).toMatchObject({ status: 'queued', attempts: 1 });
  });
});
