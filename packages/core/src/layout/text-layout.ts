import type { FontId } from '../fonts/font-catalog.ts';
import { splitChunks, splitGraphemes } from './line-breaker.ts';
import { REFERENCE_FONT_SIZE, type TextMeasurer } from './text-measurer.ts';

export type HorizontalAlign = 'left' | 'center' | 'right';
export type VerticalAlign = 'top' | 'middle' | 'bottom';

export interface CaptionLayoutInput {
  /** The caption as it is drawn (case already applied); `\n` starts a new line. */
  readonly text: string;
  readonly font: FontId;
  /** Size of the text box in px. */
  readonly width: number;
  readonly height: number;
  readonly align: HorizontalAlign;
  readonly verticalAlign: VerticalAlign;
  /** Outline (stroke) width as a fraction of the font size. */
  readonly outlineRatio: number;
  /** The largest font size to try, in px. */
  readonly maxFontSize: number;
  /** The smallest font size to try, in px. */
  readonly minFontSize?: number;
}

export interface LaidOutLine {
  readonly text: string;
  /** Left end of the line's advance box, in box coordinates. */
  readonly x: number;
  readonly baseline: number;
  readonly width: number;
}

export interface CaptionLayout {
  readonly fontSize: number;
  /** Full stroke width; half of it lies outside the glyphs. */
  readonly outlineWidth: number;
  readonly lines: readonly LaidOutLine[];
  /** Height of the inked block including its outline, in px. */
  readonly blockHeight: number;
  /** False only when the text overflows the box even at the smallest font size. */
  readonly fits: boolean;
}

/**
 * Space between one line's lowest ink and the next line's highest ink, as a fraction of
 * the font size, on top of the outline. Typographic leading: a design choice, not a
 * correction of the metrics.
 */
export const LEADING_RATIO = 0.08;

/** Font sizes are searched in steps of 1/4 px: finer than the eye can tell. */
const SIZE_STEPS_PER_PX = 4;
const DEFAULT_MIN_FONT_SIZE = 1;

/**
 * Lays out one caption in its box: wraps by measured width, finds by binary search the
 * largest font size at which every line fits the box width and the block fits its height,
 * and places lines with the font's ink metrics. A pure function of its input and the
 * measurer, so the browser preview and the server draw the same lines.
 */
export const layoutCaption = (input: CaptionLayoutInput, measurer: TextMeasurer): CaptionLayout => {
  const paragraphs = input.text.split('\n');
  if (input.text.trim() === '') {
    return { fontSize: 0, outlineWidth: 0, lines: [], blockHeight: 0, fits: true };
  }
  // Ink extents of the whole caption: independent of where lines break, so the fit test
  // stays monotonic in font size and binary search finds the true largest size.
  const ink = measurer.measureInk(paragraphs.join(' '), input.font);
  const paragraphChunks = paragraphs.map(splitChunks);

  const tryAt = (fontSize: number): Attempt => {
    const scale = fontSize / REFERENCE_FONT_SIZE;
    const outline = input.outlineRatio * fontSize;
    const maxLineWidth = (input.width - outline) / scale;
    const lines: string[] = [];
    let fitsWidth = true;
    for (const chunks of paragraphChunks) {
      fitsWidth = wrapParagraph(chunks, maxLineWidth, input.font, measurer, lines) && fitsWidth;
    }
    const inkHeight = (ink.ascent + ink.descent) * scale;
    const leading = leadingOf(fontSize, outline);
    const blockHeight = lines.length * inkHeight + (lines.length - 1) * leading + outline;
    return {
      fontSize,
      outline,
      lines,
      pitch: inkHeight + leading,
      blockHeight,
      fits: fitsWidth && blockHeight <= input.height,
    };
  };

  /** The exact test at a chosen size: every line, measured whole, within the box width. */
  const exactlyFits = (attempt: Attempt): boolean => {
    const maxLineWidth = (input.width - attempt.outline) / (attempt.fontSize / REFERENCE_FONT_SIZE);
    return attempt.lines.every((line) => measurer.measureWidth(line, input.font) <= maxLineWidth);
  };

  const minSteps = Math.max(1, Math.round((input.minFontSize ?? DEFAULT_MIN_FONT_SIZE) * SIZE_STEPS_PER_PX));
  const heightBound = input.height / ((ink.ascent + ink.descent) / REFERENCE_FONT_SIZE || 1);
  const maxSteps = Math.max(minSteps, Math.floor(Math.min(input.maxFontSize, heightBound) * SIZE_STEPS_PER_PX));
  let best = tryAt(minSteps / SIZE_STEPS_PER_PX);
  if (best.fits) {
    let low = minSteps; // fits
    let high = maxSteps + 1; // first size known not to fit
    while (high - low > 1) {
      const middle = (low + high) >>> 1;
      const attempt = tryAt(middle / SIZE_STEPS_PER_PX);
      if (attempt.fits) {
        low = middle;
        best = attempt;
      } else {
        high = middle;
      }
    }
    // The search adds up chunk widths; kerning across a chunk boundary can make a whole
    // line a hair wider than the sum, so the chosen size is confirmed with whole lines and
    // lowered a step at a time in the rare case it does not hold.
    while (!exactlyFits(best) && low > minSteps) {
      low--;
      best = tryAt(low / SIZE_STEPS_PER_PX);
    }
    if (!exactlyFits(best)) best = { ...best, fits: false };
  }
  return place(best, input, measurer, ink.ascent * (best.fontSize / REFERENCE_FONT_SIZE));
};

interface Attempt {
  readonly fontSize: number;
  readonly outline: number;
  readonly lines: readonly string[];
  readonly pitch: number;
  readonly blockHeight: number;
  readonly fits: boolean;
}

const leadingOf = (fontSize: number, outline: number): number => LEADING_RATIO * fontSize + outline;

/**
 * Greedy fill: each chunk goes on the current line if the line still fits, else starts a
 * new one; a chunk wider than a whole line is broken between graphemes. Widths are the sums
 * of the chunks' and spaces' measured widths, so each distinct word is measured once
 * however many sizes the search tries. Appends to `lines` and returns false when a single
 * grapheme is wider than the line.
 */
const wrapParagraph = (
  chunks: readonly { text: string; spaceAfter: string }[],
  maxWidth: number,
  font: FontId,
  measurer: TextMeasurer,
  lines: string[],
): boolean => {
  const widthOf = (text: string): number => measurer.measureWidth(text, font);
  let line = '';
  let lineWidth = 0;
  let pendingSpace = '';
  let everyGraphemeFits = true;
  const startLine = (text: string, width: number): void => {
    if (width <= maxWidth) {
      line = text;
      lineWidth = width;
      return;
    }
    let piece = '';
    let pieceWidth = 0;
    for (const grapheme of splitGraphemes(text)) {
      const graphemeWidth = widthOf(grapheme);
      if (piece === '' || pieceWidth + graphemeWidth <= maxWidth) {
        piece += grapheme;
        pieceWidth += graphemeWidth;
      } else {
        lines.push(piece);
        piece = grapheme;
        pieceWidth = graphemeWidth;
      }
      if (pieceWidth > maxWidth) everyGraphemeFits = false;
    }
    line = piece;
    lineWidth = pieceWidth;
  };
  for (const chunk of chunks) {
    const chunkWidth = widthOf(chunk.text);
    if (line === '') {
      startLine(chunk.text, chunkWidth);
    } else {
      const joinedWidth = lineWidth + widthOf(pendingSpace) + chunkWidth;
      if (joinedWidth <= maxWidth) {
        line += pendingSpace + chunk.text;
        lineWidth = joinedWidth;
      } else {
        lines.push(line);
        startLine(chunk.text, chunkWidth);
      }
    }
    pendingSpace = chunk.spaceAfter;
  }
  lines.push(line);
  return everyGraphemeFits;
};

const place = (attempt: Attempt, input: CaptionLayoutInput, measurer: TextMeasurer, ascent: number): CaptionLayout => {
  const scale = attempt.fontSize / REFERENCE_FONT_SIZE;
  const half = attempt.outline / 2;
  const top =
    input.verticalAlign === 'top'
      ? 0
      : input.verticalAlign === 'bottom'
        ? input.height - attempt.blockHeight
        : (input.height - attempt.blockHeight) / 2;
  const lines = attempt.lines.map((text, index): LaidOutLine => {
    const width = measurer.measureWidth(text, input.font) * scale;
    const x =
      input.align === 'left' ? half : input.align === 'right' ? input.width - half - width : (input.width - width) / 2;
    return { text, x, baseline: top + half + ascent + index * attempt.pitch, width };
  });
  return {
    fontSize: attempt.fontSize,
    outlineWidth: attempt.outline,
    lines,
    blockHeight: attempt.blockHeight,
    fits: attempt.fits,
  };
};
