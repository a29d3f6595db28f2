import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['2m', 120_000],
    ['250ms', 250],
    ['1.5s', 1500],
    ['1h', 3_600_000],
    ['12', 12_000],
  ])('reads %s as %d ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each(['', 'soon', '5 minutes', '-3s'])('rejects "%s"', (text) => {
    expect(() => parseDuration(text)).toThrow('is not a duration');
  });
});
