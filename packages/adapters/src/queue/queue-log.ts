export type QueueLogLevel = 'info' | 'warn' | 'error';

/** Where an adapter reports connection changes and jobs it had to move aside; pino fits behind it. */
export type QueueLog = (level: QueueLogLevel, message: string, extra?: Record<string, unknown>) => void;

export const silentQueueLog: QueueLog = () => {};

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
