import { type AccessContext, type ApiKeyService, type Role, roleAllows } from '@memelab/clinic';
import { AppError } from '@memelab/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role a route needs; routes without one are public (health, metrics, docs). */
    readonly role?: Role;
  }
  interface FastifyRequest {
    access: AccessContext | undefined;
  }
}

const presentedKey = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
};

/**
 * Authenticates and authorizes in `onRequest`, before Fastify reads the body: a caller
 * without a key (401) or with too small a role (403) never gets a body parsed or stored.
 */
export const installAuthentication = (app: FastifyInstance, keys: ApiKeyService): void => {
  app.decorateRequest('access', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const required = request.routeOptions.config.role;
    if (required === undefined) return;
    const key = presentedKey(request);
    if (key === undefined || key === '') {
      reply.header('www-authenticate', 'Bearer');
      throw new AppError('AUTHENTICATION_REQUIRED', 'Send an API key as Authorization: Bearer <key> or X-API-Key.', {
        status: 401,
      });
    }
    const principal = await keys.authenticate(key);
    if (principal === undefined) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError('INVALID_API_KEY', 'The API key is not valid or was revoked.', { status: 401 });
    }
    if (!roleAllows(principal.role, required)) {
      throw new AppError('ROLE_NOT_ALLOWED', `This needs the ${required} role; the key has ${principal.role}.`, {
        status: 403,
      });
    }
    request.access = { keyId: principal.keyId, role: principal.role, requestId: String(request.id) };
  });
};

export const accessOf = (request: FastifyRequest): AccessContext => {
  if (request.access === undefined) throw new Error(`${request.routeOptions.url} has no role configured`);
  return request.access;
};
