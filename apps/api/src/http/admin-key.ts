import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@memelab/core';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

const presentedKey = (request: FastifyRequest): string | undefined => {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = request.headers.authorization;
  return authorization?.startsWith('Bearer ') === true ? authorization.slice('Bearer '.length) : undefined;
};

/**
 * Admin routes need the key from ADMIN_API_KEY, as `x-api-key` or a bearer token. Compared
 * in constant time (of equal-length digests) so response timing leaks nothing of the key.
 */
export const requireAdminKey = (request: FastifyRequest, adminKey: string | undefined): void => {
  if (adminKey === undefined) {
    throw new AppError('ADMIN_DISABLED', 'Template administration is off: the server has no ADMIN_API_KEY.', {
      status: 403,
    });
  }
  const key = presentedKey(request);
  if (key === undefined) {
    throw new AppError('ADMIN_KEY_REQUIRED', 'Send the admin key as x-api-key or Authorization: Bearer.', {
      status: 401,
    });
  }
  if (!timingSafeEqual(digest(key), digest(adminKey))) {
    throw new AppError('ADMIN_KEY_INVALID', 'The admin key is not valid.', { status: 403 });
  }
};

/**
 * The admin check as a route's `onRequest` hook: it runs before the content type is judged
 * and before any body byte is read, so a caller without the key gets 401 (a wrong key 403)
 * whatever it sends, and an unauthenticated upload is never buffered.
 */
export const adminKeyGuard =
  (adminKey: string | undefined): onRequestAsyncHookHandler =>
  async (request) => {
    requireAdminKey(request, adminKey);
  };
