/**
 * Splits a paragraph into chunks: runs of text that must stay on one line, each followed
 * by the white space after it. Word boundaries come from Intl.Segmenter (ICU's dictionary
 * segmentation, so Chinese, Japanese and Thai words are found without spaces); a small set
 * of rules from UAX #14 then decides where a line may break. Written here rather than
 * taken from a UAX #14 package because the browser bundle gets ICU for free and the rules
 * a meme caption needs fit on one screen.
 */
export interface Chunk {
  readonly text: string;
  /** White space after the chunk: drawn inside a line, dropped at a line break. */
  readonly spaceAfter: string;
}

/** Break opportunities: ordinary spaces, not no-break spaces (U+00A0, U+202F, U+2060). */
const BREAKING_SPACE = /^[ \t\u1680\u2000-\u200b\u205f\u3000]+$/u;

/** Scripts written without spaces and emoji: a line may break between any two of them. */
const BREAK_ANYWHERE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Extended_Pictographic}\u3000-\u303f\uff00-\uffef]/u;

/** Closing punctuation and small kana must not start a line (kinsoku). */
const NO_BREAK_BEFORE =
  /[\p{Pe}\p{Pf}\p{M}!%),.:;?\]}¢°'"’”»、。，．：；！？ー々〆ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ・…‥〜～]|\u200d/u;

/** Opening punctuation must not end a line. */
const NO_BREAK_AFTER = /[\p{Ps}\p{Pi}([{「『【〔〈《“‘¿¡]|\u200d/u;

const HYPHEN = /[-‐–—/]/u;
const LETTER = /\p{L}/u;

const firstCodePoint = (text: string): string => String.fromCodePoint(text.codePointAt(0) ?? 0);
const lastCodePoint = (text: string): string => Array.from(text).at(-1) ?? '';

const mayBreakBetween = (before: string, after: string): boolean => {
  const a = lastCodePoint(before);
  const b = firstCodePoint(after);
  if (NO_BREAK_BEFORE.test(b) || NO_BREAK_AFTER.test(a)) return false;
  if (BREAK_ANYWHERE.test(a) || BREAK_ANYWHERE.test(b)) return true;
  return HYPHEN.test(a) && LETTER.test(b);
};

const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export const splitChunks = (paragraph: string): Chunk[] => {
  const chunks: Chunk[] = [];
  let text = '';
  let space = '';
  const flush = (): void => {
    if (text !== '') chunks.push({ text, spaceAfter: space });
    text = '';
    space = '';
  };
  for (const { segment } of wordSegmenter.segment(paragraph)) {
    if (BREAKING_SPACE.test(segment)) {
      if (text === '') continue; // leading spaces of a paragraph
      space += segment;
    } else if (text === '') {
      text = segment;
    } else if (space !== '' || mayBreakBetween(text, segment)) {
      flush();
      text = segment;
    } else {
      text += segment;
    }
  }
  flush();
  return chunks;
};

/** User-perceived characters: emoji sequences and combining marks stay whole. */
export const splitGraphemes = (text: string): string[] =>
  Array.from(graphemeSegmenter.segment(text), ({ segment }) => segment);
