export * from './render/render.job.ts';
export * from './render/render.service.ts';
export * from './worker.app.ts';
export * from './worker.config.ts';
export * from './worker.main.ts';
export * from './worker.metrics.ts';
