/**
 * Hard limits. They protect the render workers (CPU, memory) and keep the output sane;
 * every one is enforced at validation time with a stable error code.
 */
export const LIMITS = {
  /** Characters (Unicode code points) in one caption. */
  maxCaptionLength: 500,
  /** Explicit lines (separated by newlines) in one caption. */
  maxCaptionLines: 20,
  /** Captions (and text boxes) on one meme. */
  maxCaptions: 20,
  /** Smallest and largest output edge in pixels. */
  minOutputEdge: 16,
  maxOutputEdge: 2048,
  /** Largest output area in pixels. */
  maxOutputPixels: 2048 * 2048,
  /** Largest decoded input image (template or upload); guards against decompression bombs. */
  maxInputPixels: 40_000_000,
  /** Largest input image file. */
  maxInputBytes: 10 * 1024 * 1024,
} as const;
