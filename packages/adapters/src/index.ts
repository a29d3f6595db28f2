export * from './db/index.ts';
export * from './queue/index.ts';
export * from './redact-url.ts';
export * from './storage/index.ts';
