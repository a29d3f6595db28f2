import { z } from 'zod';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text a client may store: well-formed Unicode (no lone surrogates, which PostgreSQL
 * refuses), no control characters (NUL cannot be stored at all), trimmed, bounded.
 */
export const text = (max = 200) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !LONE_SURROGATE.test(value), 'must be well-formed Unicode')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters');

export const EARLIEST_BIRTH_DATE = '1900-01-01';

/** A calendar date YYYY-MM-DD that exists (no 30 February). */
export const calendarDate = z.iso.date('must be a date YYYY-MM-DD');

/** An instant with its offset, within the years 2000-2199 (appointments are planned, not historic). */
export const instant = z.iso
  .datetime({ offset: true, message: 'must be a date-time with an offset, e.g. 2030-01-15T09:00:00Z' })
  .refine((value) => {
    const year = new Date(value).getUTCFullYear();
    return year >= 2000 && year < 2200;
  }, 'must be between the years 2000 and 2199');

export const humanName = z.strictObject({
  use: z.enum(['usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden']).optional(),
  text: text().optional(),
  family: text().optional(),
  given: z.array(text()).min(1).max(5).optional(),
  prefix: z.array(text(40)).max(3).optional(),
});

export const names = z
  .array(humanName)
  .min(1, 'at least one name is required')
  .max(5)
  .refine(
    (list) => list.every((name) => name.family !== undefined || name.given !== undefined || name.text !== undefined),
    {
      message: 'each name needs a family name, a given name or a text',
    },
  );

export const identifier = z.strictObject({
  use: z.enum(['usual', 'official', 'temp', 'secondary', 'old']).optional(),
  system: text(200),
  value: text(100),
});

export const contactPoint = z.strictObject({
  system: z.enum(['phone', 'fax', 'email', 'pager', 'url', 'sms', 'other']),
  value: text(200),
  use: z.enum(['home', 'work', 'temp', 'old', 'mobile']).optional(),
});

export const codeableText = z.strictObject({ text: text() });

/** What a client may send besides the resource's own fields: the type, and on update its id. */
export const envelope = (resourceType: string) => ({
  resourceType: z.literal(resourceType).optional(),
  id: z.uuid().optional(),
  // The server owns meta (version, last update); a client's copy is accepted and ignored.
  meta: z.looseObject({}).optional(),
});

/**
 * Lower-cased words of every name, for prefix search. Case folding happens here rather
 * than in SQL so that PGlite and a PostgreSQL server of any locale agree.
 */
export const nameTokens = (list: readonly z.output<typeof humanName>[]): string[] => {
  const words = list.flatMap((name) => [name.family, ...(name.given ?? []), name.text]);
  const tokens = words.flatMap((word) => (word === undefined ? [] : searchTokens(word)));
  return [...new Set(tokens)];
};

export const searchTokens = (value: string): string[] =>
  value
    .normalize('NFC')
    .toLowerCase()
    .split(/[\s,.'’-]+/u)
    .filter((token) => token.length > 0);

export const normalizeSearchPrefix = (value: string): string => value.normalize('NFC').toLowerCase().trim();
