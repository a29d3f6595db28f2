import { AppError, LIMITS } from '@memelab/core';
import { imageSize } from 'image-size';

export type InputImageType = 'png' | 'jpg' | 'webp' | 'gif';

export interface InputImageInfo {
  readonly type: InputImageType;
  readonly width: number;
  readonly height: number;
}

const ACCEPTED: Readonly<Record<string, InputImageType>> = { png: 'png', jpg: 'jpg', webp: 'webp', gif: 'gif' };

export const INPUT_IMAGE_CONTENT_TYPES: Readonly<Record<InputImageType, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
};

/**
 * Reads an image's type and size from its header, before anything decodes it: the type
 * by content (never by file name), and the pixel count against the decompression-bomb
 * limit, so a 50 KB PNG that claims 100 000 x 100 000 pixels is refused without
 * allocating 40 GB.
 */
export const inspectInputImage = (bytes: Uint8Array, limits = LIMITS): InputImageInfo => {
  if (bytes.byteLength > limits.maxInputBytes) {
    throw new AppError(
      'IMAGE_TOO_LARGE',
      `The image is ${bytes.byteLength} bytes; the limit is ${limits.maxInputBytes}.`,
      {
        status: 413,
      },
    );
  }
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch (cause) {
    throw new AppError('UNSUPPORTED_IMAGE_TYPE', 'The file is not a PNG, JPEG, WebP or GIF image.', {
      status: 415,
      cause,
    });
  }
  const type = size.type === undefined ? undefined : ACCEPTED[size.type];
  if (type === undefined) {
    throw new AppError('UNSUPPORTED_IMAGE_TYPE', `Images of type ${size.type ?? 'unknown'} are not accepted.`, {
      status: 415,
    });
  }
  // EXIF rotation swaps the edges but not the pixel count, so the count check is exact.
  const { width, height } = size;
  if (width < 1 || height < 1) {
    throw new AppError('INVALID_IMAGE', 'The image has no pixels.', { status: 422 });
  }
  if (width * height > limits.maxInputPixels) {
    throw new AppError(
      'IMAGE_TOO_MANY_PIXELS',
      `The image is ${width}x${height} pixels; the limit is ${limits.maxInputPixels} pixels.`,
      { status: 413 },
    );
  }
  return { type, width, height };
};
