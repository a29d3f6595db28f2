import { isCachedObject, type ObjectCache } from '@memelab/adapters';
import { AppError } from '@memelab/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import parseRange from 'range-parser';

export interface ServableMeme {
  readonly id: string;
  readonly status: string;
  readonly objectKey: string | null;
  readonly failureReason: string | null;
}

/** A strong validator: the id names the image's exact bytes. */
const etagOf = (id: string): string => `"${id}"`;

/** `If-None-Match` lists the etag (weak comparison, as RFC 9110 asks for it) or is `*`. */
const clientHas = (ifNoneMatch: string | undefined, etag: string): boolean =>
  ifNoneMatch !== undefined &&
  (ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag));

/**
 * `If-Range` allows the range only for this exact etag (strong comparison). A date cannot
 * be checked (the image has no Last-Modified), so it gets the whole image, which is safe.
 */
const rangeStillApplies = (ifRange: string | string[] | undefined, etag: string): boolean =>
  ifRange === undefined || (typeof ifRange === 'string' && ifRange.trim() === etag);

const missing = (id: string): never => {
  throw new AppError('IMAGE_MISSING', `The image of meme "${id}" is missing from storage.`, { status: 503 });
};

/**
 * Sends a done meme's image with immutable caching: `304` when the client has it (no I/O
 * at all), `HEAD` without reading the bytes, a single byte `Range` as `206` (`416` when it
 * lies outside the image; several ranges get the whole image), the rest in full. Bytes come
 * from the in-memory image cache when they are hot, else from the object store.
 */
export const sendMemeImage = async (
  request: FastifyRequest,
  reply: FastifyReply,
  meme: ServableMeme,
  images: ObjectCache,
): Promise<FastifyReply> => {
  if (meme.status === 'failed') {
    throw new AppError(
      'MEME_FAILED',
      `Meme "${meme.id}" could not be rendered: ${meme.failureReason ?? 'unknown reason'}.`,
      { status: 422 },
    );
  }
  if (meme.status !== 'done' || meme.objectKey === null) {
    reply.header('retry-after', '1');
    throw new AppError('IMAGE_NOT_READY', `Meme "${meme.id}" is still being rendered.`, { status: 404 });
  }
  const key = meme.objectKey;
  const etag = etagOf(meme.id);
  const { headers } = request;
  if (clientHas(headers['if-none-match'], etag)) {
    return reply.code(304).headers(cachingHeaders(etag)).send();
  }
  const rangeHeader =
    request.method === 'GET' && rangeStillApplies(headers['if-range'], etag) ? headers.range : undefined;
  if (request.method === 'HEAD' || rangeHeader !== undefined) {
    const info = (await images.describe(key)) ?? missing(meme.id);
    const ranges = rangeHeader === undefined ? -2 : parseRange(info.size, rangeHeader, { combine: true });
    if (ranges === -1) {
      reply.header('content-range', `bytes */${info.size}`);
      throw new AppError(
        'RANGE_NOT_SATISFIABLE',
        `The range "${rangeHeader}" lies outside the image of meme "${meme.id}" (${info.size} bytes).`,
        { status: 416 },
      );
    }
    const range = ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1 ? ranges[0] : undefined;
    if (range !== undefined) {
      const part = (await images.readRange(key, range)) ?? missing(meme.id);
      return reply
        .code(206)
        .headers(cachingHeaders(etag))
        .header('content-type', info.contentType)
        .header('content-range', `bytes ${range.start}-${range.end}/${info.size}`)
        .header('content-length', range.end - range.start + 1)
        .send(isCachedObject(part) ? part.bytes : part.body);
    }
    if (request.method === 'HEAD') {
      return reply
        .headers(cachingHeaders(etag))
        .header('content-type', info.contentType)
        .header('content-length', info.size)
        .send();
    }
    // An unreadable or multi-part range: the whole image, as RFC 9110 allows.
  }
  const object = (await images.read(key)) ?? missing(meme.id);
  return reply
    .headers(cachingHeaders(etag))
    .header('content-type', object.contentType)
    .header('content-length', object.size)
    .send(isCachedObject(object) ? object.bytes : object.body);
};

const cachingHeaders = (etag: string) => ({
  etag,
  'cache-control': 'public, max-age=31536000, immutable',
  'accept-ranges': 'bytes',
});
