// Helpers for tests of code that uses the adapters; never imported by production code.
export * from './db/testing/pglite-test-database.ts';
export * from './db/testing/throwaway-postgres.ts';
export * from './queue/testing/tcp-proxy.ts';
export * from './storage/testing/s3-test-server.ts';
