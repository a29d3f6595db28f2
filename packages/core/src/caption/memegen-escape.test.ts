import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMemegenCaption, encodeMemegenCaption } from './memegen-escape.ts';

describe('memegen caption escaping', () => {
  it.each([
    ['hello_world', 'hello world'],
    ['hello-world', 'hello world'],
    ['snake__case', 'snake_case'],
    ['well--known', 'well-known'],
    ['what~q', 'what?'],
    ['rock~a~aroll', 'rock&&roll'],
    ['100~p', '100%'],
    ['~hhashtag', '#hashtag'],
    ['and~sor', 'and/or'],
    ['back~bslash', 'back\\slash'],
    ['~ltag~g', '<tag>'],
    ['line~nbreak', 'line\nbreak'],
    ["''quoted''", '"quoted"'],
    ['___', '_ '],
    ['_', ''],
    ['-', ''],
    ['~x stays', '~x stays'],
  ])('decodes %j as %j', (segment, text) => {
    expect(decodeMemegenCaption(segment)).toBe(text);
  });

  it('encodes every special character memegen knows', () => {
    expect(encodeMemegenCaption('a_b-c d?&%#/\\<>\n"')).toBe("a__b--c_d~q~a~p~h~s~b~l~g~n''");
    expect(encodeMemegenCaption('')).toBe('_');
  });

  it('round-trips any caption memegen can represent', () => {
    const representable = fc
      .string({ unit: fc.constantFrom(...'ab _-?&%#/\\<>\n"\'~xé😂你'.split('')), maxLength: 40 })
      .filter((text) => !/~[qaphsblgn]/.test(text) && !/'['"]|"'/.test(text) && text !== ' ');
    fc.assert(
      fc.property(representable, (text) => {
        expect(decodeMemegenCaption(encodeMemegenCaption(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
