import { createHash } from 'node:crypto';

/**
 * Both adapters derive the etag from the SHA-256 of the bytes, so the same image has the
 * same etag whichever store holds it, and browser caches stay valid when a deployment moves
 * from the local directory to a bucket. A content hash is a strong validator by definition.
 */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export const isSha256Hex = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);

export const quoteEtag = (opaque: string): string => `"${opaque}"`;
