import { createRequire } from 'node:module';
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';
import type PinoPretty from 'pino-pretty';
import { activeTraceIds } from '../tracing/tracing.ts';
import { currentCorrelationId } from './correlation-context.ts';

export type { Logger } from 'pino';

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  readonly name: string;
  /** The platform tenant the process belongs to (`memelab`, `healthcare`), on every line for log queries. */
  readonly tenant?: string;
  readonly level?: LevelWithSilent;
  /** Where lines go; stdout by default (containers collect it). */
  readonly destination?: DestinationStream;
  /** `json` or `pretty`; unset: pretty when stdout is a terminal, JSON otherwise. */
  readonly format?: LogFormat;
  /** Colours in pretty lines; unset: when the terminal supports them (honours NO_COLOR, FORCE_COLOR). */
  readonly colorize?: boolean;
}

/** A person at a terminal reads lines; anything else (a container runtime, a pipe, a file) collects JSON. */
export const defaultLogFormat = (stdout: { readonly isTTY?: boolean } = process.stdout): LogFormat =>
  stdout.isTTY === true ? 'pretty' : 'json';

/**
 * pino-pretty is loaded on the first pretty logger only (~50 ms of a start): servers in
 * containers log JSON and never need it. A synchronous require, as createLogger is synchronous.
 */
const loadPinoPretty = (): typeof PinoPretty => createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;

/**
 * One coloured line per event (time, level, message, then the fields), written synchronously
 * in-process rather than through a transport thread, so the single-file server bundle needs
 * no worker file and no line is lost when the process exits.
 */
const prettyStream = (destination: DestinationStream | undefined, colorize: boolean | undefined) =>
  loadPinoPretty()({
    destination: destination ?? 1,
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    ...(colorize === undefined ? {} : { colorize }),
  });

/**
 * Logs to stdout, one line per event, with the current correlation id (and, while tracing,
 * the active trace and span ids) mixed into every line: JSON for collectors, or pretty lines for a terminal (see {@link defaultLogFormat}).
 * Secrets that could reach a log through a config dump or an error are redacted by path.
 */
export const createLogger = ({
  name,
  tenant,
  level = 'info',
  destination,
  format = destination === undefined ? defaultLogFormat() : 'json',
  colorize,
}: LoggerOptions): Logger =>
  pino(
    {
      name,
      level,
      base: { service: name, ...(tenant === undefined ? {} : { tenant }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const correlationId = currentCorrelationId();
        const ids = activeTraceIds();
        return {
          ...(correlationId === undefined ? {} : { correlationId }),
          ...(ids === undefined ? {} : { traceId: ids.traceId, spanId: ids.spanId }),
        };
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
    format === 'pretty' ? prettyStream(destination, colorize) : destination,
  );
