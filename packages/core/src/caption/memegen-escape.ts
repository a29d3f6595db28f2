/**
 * memegen.link's URL caption escapes, so that its URLs work against memelab:
 * `_` and `-` are spaces, `__` is `_`, `--` is `-`, `~q` `?`, `~a` `&`, `~p` `%`, `~h` `#`,
 * `~s` `/`, `~b` `\`, `~l` `<`, `~g` `>`, `~n` newline, `''` is `"`, and a lone `_` or `-`
 * is an empty caption.
 *
 * Decoding scans left to right so that each escape is read exactly once (`___` is `_` then
 * a space); chained `replaceAll` calls get such runs wrong.
 */
const TILDE_ESCAPES: Readonly<Record<string, string>> = {
  q: '?',
  a: '&',
  p: '%',
  h: '#',
  s: '/',
  b: '\\',
  l: '<',
  g: '>',
  n: '\n',
};

const ENCODINGS: Readonly<Record<string, string>> = {
  _: '__',
  '-': '--',
  ' ': '_',
  '"': "''",
  ...Object.fromEntries(Object.entries(TILDE_ESCAPES).map(([letter, char]) => [char, `~${letter}`])),
};

export const decodeMemegenCaption = (segment: string): string => {
  if (segment === '_' || segment === '-') return '';
  let out = '';
  for (let index = 0; index < segment.length; index++) {
    const char = segment.charAt(index);
    const next = segment.charAt(index + 1);
    if ((char === '_' || char === '-') && next === char) {
      out += char;
      index++;
    } else if (char === '_' || char === '-') {
      out += ' ';
    } else if (char === '~' && next in TILDE_ESCAPES) {
      out += TILDE_ESCAPES[next];
      index++;
    } else if (char === "'" && next === "'") {
      out += '"';
      index++;
    } else {
      out += char;
    }
  }
  return out;
};

/**
 * Encodes a caption as a memegen URL path segment (before percent-encoding). memegen has
 * no escape for `~` before an escape letter nor for two apostrophes in a row; such text
 * decodes differently, as it does on memegen itself.
 */
export const encodeMemegenCaption = (text: string): string => {
  if (text === '') return '_';
  // Built from the end: a space written as `_` in front of another `_` would be read back
  // as an escaped underscore, so such a space is written as `-`, which also means a space.
  let out = '';
  for (const char of Array.from(text).reverse()) {
    out = (char === ' ' ? (out.startsWith('_') ? '-' : '_') : (ENCODINGS[char] ?? char)) + out;
  }
  return out;
};
