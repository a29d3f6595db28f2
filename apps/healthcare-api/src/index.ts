export * from './clinic-database.ts';
export * from './healthcare.app.ts';
export * from './healthcare.config.ts';
