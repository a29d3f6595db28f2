export * from './config/load-config.ts';
export * from './config/redact-url.ts';
export * from './errors/problem-details.ts';
export * from './lifecycle/graceful-shutdown.ts';
export * from './lifecycle/readiness.ts';
export * from './logging/correlation-context.ts';
export * from './logging/logger.ts';
export * from './metrics/metrics-registry.ts';
