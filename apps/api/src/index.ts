export * from './api.app.ts';
export * from './api.config.ts';
export * from './api.main.ts';
