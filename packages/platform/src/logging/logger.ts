import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';
import { currentCorrelationId } from './correlation-context.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly name: string;
  readonly level?: LevelWithSilent;
  /** Where lines go; stdout by default (containers collect it). */
  readonly destination?: DestinationStream;
}

/**
 * JSON logs to stdout, one line per event, with the current correlation id mixed into
 * every line. Secrets that could reach a log through a config dump or an error are
 * redacted by path.
 */
export const createLogger = ({ name, level = 'info', destination }: LoggerOptions): Logger =>
  pino(
    {
      name,
      level,
      base: { service: name },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId === undefined ? {} : { correlationId };
      },
      redact: {
        paths: [
          '*.password',
          '*.secretAccessKey',
          '*.S3_SECRET_ACCESS_KEY',
          '*.ADMIN_API_KEY',
          'req.headers.authorization',
          'req.headers["x-api-key"]',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
