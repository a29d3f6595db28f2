import type { Database } from '@memelab/adapters';
import { ApiKeyService, AppointmentService, AuditService, PatientService, PractitionerService } from '@memelab/clinic';
import {
  acceptCorrelationId,
  CORRELATION_HEADER,
  installErrorHandling,
  type Logger,
  nameHttpServerSpan,
  type Readiness,
  type Registry,
  registerHealthRoutes,
} from '@memelab/platform';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { HealthcareConfig } from './healthcare.config.ts';
import { registerAuditRoutes } from './http/audit.routes.ts';
import { installAuthentication } from './http/authentication.ts';
import { serializeErrorWithoutValues, translateDatabaseError } from './http/database-errors.ts';
import { countRecordAccess, createHealthcareMetrics } from './http/healthcare.metrics.ts';
import { registerResourceRoutes } from './http/resource.routes.ts';
import { registerOpenApiRoutes } from './openapi/openapi.routes.ts';

export type HealthcareSettings = Pick<
  HealthcareConfig,
  'BODY_LIMIT_BYTES' | 'TRUST_PROXY' | 'API_KEY_CACHE_TTL_MS' | 'RETRY_AFTER_SECONDS'
>;

export interface HealthcareAppOptions {
  readonly db: Database;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly readiness: Readiness;
  readonly settings: HealthcareSettings;
}

export interface HealthcareApp {
  readonly http: FastifyInstance;
  readonly keys: ApiKeyService;
}

const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The composition root: services over the database, and the HTTP server around them with
 * authentication before any body is read, problem details, RED metrics, and one log line
 * per request that names the route template, never the URL (ids and search values in URLs
 * are personal data).
 */
export const buildHealthcareApp = async (options: HealthcareAppOptions): Promise<HealthcareApp> => {
  const { db, settings } = options;
  const logger = options.logger.child({}, { serializers: { err: serializeErrorWithoutValues } });
  const metrics = createHealthcareMetrics(options.metrics, () =>
    'poolStats' in db && typeof db.poolStats === 'function' ? db.poolStats() : undefined,
  );
  const keys = new ApiKeyService(db, { cacheTtlMs: settings.API_KEY_CACHE_TTL_MS });
  const services = {
    patients: new PatientService(db),
    practitioners: new PractitionerService(db),
    appointments: new AppointmentService(db),
  };

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger and no async context per request: the lines written for a request (the
    // access line below, the error handler's) carry its correlation id themselves, and on
    // Node 20 an AsyncLocalStorage in use puts a hook on every promise the request makes.
    childLoggerFactory: (parent) => parent,
    bodyLimit: settings.BODY_LIMIT_BYTES,
    trustProxy: settings.TRUST_PROXY,
    genReqId: (request) => acceptCorrelationId(request.headers[CORRELATION_HEADER]),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(CORRELATION_HEADER, request.id);
    nameHttpServerSpan(request.method, request.routeOptions.url);
    done();
  });
  installAuthentication(app, keys);
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.httpDuration.observe({ method: request.method, route, status: String(status) }, reply.elapsedTime / 1000);
    countRecordAccess(metrics, request.method, route, status, request.routeOptions.config.role !== undefined);
    const line = {
      correlationId: request.id,
      method: request.method,
      route,
      status,
      ms: Math.round(reply.elapsedTime),
    };
    if (QUIET_ROUTES.has(route)) logger.debug(line, 'request');
    else logger.info(line, 'request');
    done();
  });

  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(
    ['application/fhir+json', 'application/merge-patch+json'],
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
  installErrorHandling(app, logger, {
    describeRequest: (request) => ({ method: request.method, route: request.routeOptions.url ?? 'unmatched' }),
    translateError: translateDatabaseError(settings.RETRY_AFTER_SECONDS, () => metrics.poolRejections.inc()),
  });

  registerHealthRoutes(app, { readiness: options.readiness, metrics: options.metrics });
  await registerOpenApiRoutes(app);
  registerResourceRoutes(app, services);
  registerAuditRoutes(app, new AuditService(db));
  await app.ready();
  return { http: app, keys };
};
