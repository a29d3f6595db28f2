import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { parseOrThrow } from '../errors/zod-issues.ts';
import type { TextBox, TextStyleOverride } from '../template/template.schema.ts';
import { type MemeSpec, memeSpecSchema } from './meme-spec.schema.ts';

/** Validates raw input into a spec, reporting every problem at once (422 INVALID_MEME_SPEC). */
export const parseMemeSpec = (input: unknown): MemeSpec =>
  parseOrThrow(memeSpecSchema, input, 'INVALID_MEME_SPEC', 'The meme spec is not valid.');

/** Numbers are rounded so that 0.1 + 0.2 and 0.3 name one box. */
const round = (value: number): number => Math.round(value * 10_000) / 10_000;

const canonicalBox = (box: TextBox): TextBox => ({
  ...box,
  x: round(box.x),
  y: round(box.y),
  width: round(box.width),
  height: round(box.height),
  rotation: round(box.rotation),
  style: { ...box.style, outlineRatio: round(box.style.outlineRatio), maxFontRatio: round(box.style.maxFontRatio) },
});

const canonicalStyle = (style: TextStyleOverride | undefined): TextStyleOverride | undefined => {
  if (style === undefined) return undefined;
  const entries = Object.entries(style).filter(([, value]) => value !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as TextStyleOverride);
};

/**
 * The canonical form of a spec: Unicode NFC captions with line ends and trailing blanks
 * normalised, trailing empty captions dropped, numbers rounded, defaults filled in and
 * absent fields removed. Two specs that draw the same meme share one canonical form.
 */
export const canonicalizeMemeSpec = (spec: MemeSpec): MemeSpec => {
  const captions = spec.captions.map((caption) =>
    caption
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((line) => line.trim())
      .join('\n')
      .trim(),
  );
  while (captions.length > 0 && captions.at(-1) === '') captions.pop();
  const canonical: MemeSpec = { captions, format: spec.format };
  if (spec.template !== undefined) canonical.template = spec.template;
  if (spec.background !== undefined) canonical.background = spec.background;
  if (spec.boxes !== undefined) canonical.boxes = spec.boxes.map(canonicalBox);
  const style = canonicalStyle(spec.style);
  if (style !== undefined) canonical.style = style;
  if (spec.width !== undefined) canonical.width = spec.width;
  if (spec.height !== undefined) canonical.height = spec.height;
  return canonical;
};

/**
 * JSON with object keys sorted at every depth, so key order never changes the id. Written
 * out by hand rather than through a `JSON.stringify` replacer, which would copy and sort
 * every object into a new one first; it is on the path of every accepted meme. Gives what
 * `JSON.stringify` gives for JSON data: undefined members left out, undefined array items
 * and non-finite numbers as null, `toJSON` honoured.
 */
export const stableStringify = (value: unknown): string => serialize(value, false) ?? 'null';

const serialize = (value: unknown, inArray: boolean): string | undefined => {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return serialize((value as { toJSON: () => unknown }).toJSON(), inArray);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ',';
      out += serialize(value[index], true);
    }
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    let out = '{';
    for (const key of Object.keys(record).sort(byCodeUnit)) {
      const member = serialize(record[key], false);
      if (member === undefined) continue;
      if (out.length > 1) out += ',';
      out += `${JSON.stringify(key)}:${member}`;
    }
    return `${out}}`;
  }
  const primitive = JSON.stringify(value) as string | undefined;
  return primitive === undefined && inArray ? 'null' : primitive;
};

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Lowercase RFC 4648 base32 without padding: safe in URLs and case-insensitive file systems. */
export const base32 = (bytes: Uint8Array): string => {
  let bits = 0;
  let buffer = 0;
  let out = '';
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
};

/** 120 bits of SHA-256 as 24 base32 characters. */
export const contentIdOf = (data: string | Uint8Array): string => {
  const bytes = typeof data === 'string' ? utf8ToBytes(data) : data;
  return base32(sha256(bytes).subarray(0, 15));
};

/** The content id of a meme: identical requests map to one id and so to one image. */
export const memeIdOf = (spec: MemeSpec): string => canonicalMemeIdOf(canonicalizeMemeSpec(spec));

/**
 * The content id of a spec already in canonical form (`canonicalizeMemeSpec`'s result), for
 * callers that keep the canonical spec anyway: it is not canonicalised a second time.
 */
export const canonicalMemeIdOf = (canonical: MemeSpec): string => contentIdOf(stableStringify({ v: 1, ...canonical }));
