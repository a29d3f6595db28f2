import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import {
  canonicalizeMemeSpec,
  canonicalMemeIdOf,
  memeIdOf,
  parseMemeSpec,
  stableStringify,
} from './meme-spec.canonical.ts';

const ID_OF_ONE_TWO = '3psik636rmxnu72sqh5c5363';

const issuesOf = (input: unknown): string[] => {
  try {
    parseMemeSpec(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('INVALID_MEME_SPEC');
    expect(appError.status).toBe(422);
    return appError.issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  throw new Error('expected the spec to be rejected');
};

describe('meme spec validation', () => {
  it('fills defaults for a minimal spec', () => {
    expect(parseMemeSpec({ template: 'rack-of-doom', captions: ['hi'] })).toEqual({
      template: 'rack-of-doom',
      captions: ['hi'],
      format: 'jpg',
    });
  });

  it('accepts jpeg as an alias of jpg', () => {
    expect(parseMemeSpec({ template: 'a', format: 'jpeg' }).format).toBe('jpg');
  });

  it('rejects a caption longer than 500 characters with 422', () => {
    expect(issuesOf({ template: 'a', captions: ['x'.repeat(501)] })).toEqual([
      'captions.0: a caption is at most 500 characters',
    ]);
  });

  it('counts characters, not UTF-16 units, against the caption limit', () => {
    expect(() => parseMemeSpec({ template: 'a', captions: ['😂'.repeat(500)] })).not.toThrow();
  });

  it('reports every problem at once', () => {
    const issues = issuesOf({ captions: 'nope', format: 'gif', width: 5, extra: true });
    expect(issues.length).toBeGreaterThanOrEqual(4);
    expect(issues.join('\n')).toMatch(/captions/);
    expect(issues.join('\n')).toMatch(/format/);
    expect(issues.join('\n')).toMatch(/width/);
    expect(issues.join('\n')).toMatch(/extra/);
  });

  it('needs exactly one of template and background', () => {
    expect(issuesOf({ captions: [] })).toContain('template: give exactly one of template or background');
    expect(
      issuesOf({ template: 'a', background: 'a'.repeat(24), boxes: [{ x: 0, y: 0, width: 1, height: 1 }] }),
    ).toContain('template: give exactly one of template or background');
  });

  it('rejects too many lines, bad colours and an output larger than the pixel limit', () => {
    const issues = issuesOf({
      template: 'a',
      captions: [Array.from({ length: 21 }, () => 'x').join('\n')],
      style: { color: 'not-a-colour' },
      width: 2048,
      height: 2048 + 0,
    });
    expect(issues.join('\n')).toMatch(/at most 20 lines/);
    expect(issues.join('\n')).toMatch(/not a colour/);
  });

  it('rejects a text box outside the image', () => {
    expect(
      issuesOf({ background: 'a'.repeat(24), boxes: [{ x: 0.5, y: 0, width: 0.6, height: 0.2 }] }).join('\n'),
    ).toMatch(/inside the image/);
  });
});

describe('canonical form and content id', () => {
  it('gives identical requests one id regardless of key order and spelling', () => {
    const a = parseMemeSpec({ template: 'a', captions: ['Hello\r\nworld  ', ''], style: { color: '#FFF' } });
    const b = parseMemeSpec({ style: { color: 'white' }, format: 'jpeg', captions: ['Hello\nworld'], template: 'a' });
    expect(memeIdOf(a)).toBe(memeIdOf(b));
    expect(memeIdOf(a)).toMatch(/^[a-z2-7]{24}$/);
  });

  it('gives different memes different ids', () => {
    const base = { template: 'a', captions: ['one'] };
    const ids = new Set([
      memeIdOf(parseMemeSpec(base)),
      memeIdOf(parseMemeSpec({ ...base, captions: ['two'] })),
      memeIdOf(parseMemeSpec({ ...base, format: 'png' })),
      memeIdOf(parseMemeSpec({ ...base, template: 'b' })),
      memeIdOf(parseMemeSpec({ ...base, width: 300 })),
      memeIdOf(parseMemeSpec({ ...base, style: { case: 'none' } })),
    ]);
    expect(ids.size).toBe(6);
  });

  it('normalises Unicode so composed and decomposed accents match', () => {
    const composed = canonicalizeMemeSpec(parseMemeSpec({ template: 'a', captions: ['caf\u00e9'] }));
    const decomposed = canonicalizeMemeSpec(parseMemeSpec({ template: 'a', captions: ['cafe\u0301'] }));
    expect(composed).toEqual(decomposed);
  });

  it('sorts keys at every depth when serialising', () => {
    expect(stableStringify({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } })).toBe(
      '{"a":{"c":[3,{"e":5,"f":4}],"d":2},"b":1}',
    );
  });

  it('serialises as JSON.stringify does, keys aside', () => {
    const value = {
      z: [1, undefined, Number.NaN, 'x', null, { b: undefined, a: true }],
      y: undefined,
      'quo"te': 'line\nbreak \u00e9',
      when: new Date(0),
      n: -0.5,
    };
    expect(JSON.parse(stableStringify(value))).toEqual(JSON.parse(JSON.stringify(value)));
    expect(stableStringify(value)).toBe(
      '{"n":-0.5,"quo\\"te":"line\\nbreak \u00e9","when":"1970-01-01T00:00:00.000Z","z":[1,null,null,"x",null,{"a":true}]}',
    );
    expect(stableStringify(undefined)).toBe('null');
  });

  it('gives a canonical spec the same id without canonicalising it again', () => {
    const spec = parseMemeSpec({ template: 'a', captions: ['  Caf\u0065\u0301 ', ''], style: { color: '#FFF' } });
    expect(canonicalMemeIdOf(canonicalizeMemeSpec(spec))).toBe(memeIdOf(spec));
    // Fixed, so a change to the serialisation that would change every stored id fails here.
    expect(memeIdOf(parseMemeSpec({ template: 'rack-of-doom', captions: ['one', 'two'] }))).toBe(ID_OF_ONE_TWO);
  });
});
