import { describe, expect, it } from 'vitest';
import { MixSyntaxError, mixCycle, parseMix } from './request-mix.ts';

const KINDS = ['create', 'image', 'memegen'] as const;

describe('request mix', () => {
  it('parses weights by kind', () => {
    expect([...parseMix('create=2, image=6,memegen=0', KINDS)]).toEqual([
      ['create', 2],
      ['image', 6],
      ['memegen', 0],
    ]);
  });

  it.each([
    ['render=1', 'not a request kind'],
    ['create=-1', 'whole number'],
    ['create=1.5', 'whole number'],
    ['create=0', 'no request'],
  ])('rejects "%s"', (text, message) => {
    expect(() => parseMix(text, KINDS)).toThrow(MixSyntaxError);
    expect(() => parseMix(text, KINDS)).toThrow(message);
  });

  it('gives each kind its share of a cycle, interleaved', () => {
    const cycle = mixCycle(parseMix('create=1,image=3', KINDS));
    expect(cycle).toHaveLength(4);
    expect(cycle.filter((kind) => kind === 'image')).toHaveLength(3);
    const spread = mixCycle(parseMix('create=2,image=2', KINDS));
    expect(spread).toEqual(['create', 'image', 'create', 'image']);
  });
});
