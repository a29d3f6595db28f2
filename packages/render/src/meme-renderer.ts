import {
  AppError,
  CachingTextMeasurer,
  layoutPlan,
  paintMeme,
  type RenderPlan,
  type TextMeasurer,
} from '@memelab/core';
import { type Canvas, createCanvas, type Image, loadImage } from '@napi-rs/canvas';
import { CanvasTextMeasurer } from './canvas-text-measurer.ts';
import { registerFontsFor } from './fonts/font-registry.ts';
import { ByteBoundedLruCache } from './image/decoded-image-cache.ts';
import { encodeCanvas } from './image/image-encoder.ts';
import { inspectInputImage } from './image/image-guard.ts';

/** A background image, named by a stable key (template id and version, or content hash). */
export interface BackgroundSource {
  readonly key: string;
  readonly load: () => Promise<Uint8Array>;
}

export interface MemeRendererOptions {
  /** Memory for decoded backgrounds; each costs width x height x 4 bytes. */
  readonly cacheBytes?: number;
  readonly quality?: number;
  readonly measurer?: TextMeasurer;
}

export interface RenderedImage {
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
}

const MAX_POOLED_CANVASES_PER_SIZE = 4;

/**
 * Draws memes: decoded backgrounds come from a byte-bounded cache, captions are laid out
 * by the shared engine and painted by the shared painter, and the result is encoded off
 * the event loop. Canvases are pooled per size because allocating a surface per meme costs
 * as much as drawing the captions.
 */
export class MemeRenderer {
  private readonly backgrounds: ByteBoundedLruCache<Image>;
  private readonly loading = new Map<string, Promise<Image>>();
  private readonly canvases = new Map<string, Canvas[]>();
  private readonly measurer: TextMeasurer;
  private readonly quality: number | undefined;

  constructor(options: MemeRendererOptions = {}) {
    this.backgrounds = new ByteBoundedLruCache(options.cacheBytes ?? 256 * 1024 * 1024);
    this.measurer = options.measurer ?? new CachingTextMeasurer(new CanvasTextMeasurer());
    this.quality = options.quality;
  }

  get textMeasurer(): TextMeasurer {
    return this.measurer;
  }

  async render(plan: RenderPlan, background: BackgroundSource): Promise<RenderedImage> {
    const image = await this.decodedBackground(background);
    // The painter draws with the bundled fonts even when the layout came from a cache.
    for (const caption of plan.captions) registerFontsFor(caption.text);
    const layouts = layoutPlan(plan, this.measurer);
    const canvas = this.takeCanvas(plan.width, plan.height);
    try {
      paintMeme(canvas.getContext('2d'), plan, layouts, image);
      const bytes = await encodeCanvas(canvas, plan.format, this.quality);
      return { bytes, width: plan.width, height: plan.height };
    } finally {
      this.returnCanvas(canvas);
    }
  }

  /** Concurrent renders of a cold background share one decode. */
  private async decodedBackground(source: BackgroundSource): Promise<Image> {
    const cached = this.backgrounds.get(source.key);
    if (cached !== undefined) return cached;
    let pending = this.loading.get(source.key);
    if (pending === undefined) {
      pending = this.decode(source).finally(() => this.loading.delete(source.key));
      this.loading.set(source.key, pending);
    }
    return pending;
  }

  private async decode(source: BackgroundSource): Promise<Image> {
    const bytes = await source.load();
    const info = inspectInputImage(bytes);
    let image: Image;
    try {
      image = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (cause) {
      throw new AppError('INVALID_IMAGE', 'The background image could not be decoded.', { status: 422, cause });
    }
    this.backgrounds.set(source.key, image, info.width * info.height * 4);
    return image;
  }

  private takeCanvas(width: number, height: number): Canvas {
    return this.canvases.get(`${width}x${height}`)?.pop() ?? createCanvas(width, height);
  }

  private returnCanvas(canvas: Canvas): void {
    const key = `${canvas.width}x${canvas.height}`;
    const pool = this.canvases.get(key) ?? [];
    if (pool.length < MAX_POOLED_CANVASES_PER_SIZE) pool.push(canvas);
    this.canvases.set(key, pool);
  }
}
