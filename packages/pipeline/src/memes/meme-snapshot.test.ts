import { describe, expect, it } from 'vitest';
import type { Meme } from './meme.ts';
import { fromMemeSnapshot, toMemeSnapshot } from './meme-snapshot.ts';

const meme: Meme = {
  id: 'abcdefghijklmnopqrstuvwx',
  spec: { template: 'rack-of-doom', captions: ['one', 'two'], format: 'jpg' } as unknown as Meme['spec'],
  templateId: 'rack-of-doom',
  status: 'done',
  format: 'jpg',
  objectKey: 'memes/ab/abcdefghijklmnopqrstuvwx.jpg',
  width: 600,
  height: 720,
  bytes: 51234,
  attempts: 1,
  failureReason: null,
  correlationId: 'req-1',
  createdAt: new Date('2026-01-02T03:04:05.006Z'),
  publishedAt: new Date('2026-01-02T03:04:05.010Z'),
  renderedAt: new Date('2026-01-02T03:04:05.120Z'),
};

describe('meme snapshots', () => {
  it('survive JSON unchanged, dates included', () => {
    const carried = JSON.parse(JSON.stringify(toMemeSnapshot(meme))) as unknown;
    expect(fromMemeSnapshot(carried)).toEqual(meme);
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'meme'],
    ['an unknown status', { ...toMemeSnapshot(meme), status: 'rendering' }],
    ['a bad date', { ...toMemeSnapshot(meme), renderedAt: 'yesterday' }],
    ['no spec', { ...toMemeSnapshot(meme), spec: undefined }],
  ])('are refused when they hold %s', (_, value) => {
    expect(fromMemeSnapshot(value)).toBeUndefined();
  });
});
