import { createRequire } from 'node:module';
import type { Attributes, Context, Span } from '@opentelemetry/api';

/**
 * OpenTelemetry tracing, off unless an exporter is configured through the standard `OTEL_*`
 * variables. While it is off, nothing of OpenTelemetry is even loaded: every helper below
 * checks one variable and runs the work as it is.
 */
type OpenTelemetryApi = typeof import('@opentelemetry/api');

/** Set once {@link startTracing} has started the SDK in this process. */
let otel: OpenTelemetryApi | undefined;

/** Span kinds, with the values of OpenTelemetry's `SpanKind`. */
export const SpanKind = { INTERNAL: 0, SERVER: 1, CLIENT: 2, PRODUCER: 3, CONSUMER: 4 } as const;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

/** What work inside a span may do with it. */
export interface SpanHandle {
  setAttribute(key: string, value: string | number | boolean): void;
}

const UNRECORDED: SpanHandle = { setAttribute: () => {} };

/** A parent for a span, taken from a message's trace headers (opaque; undefined while tracing is off). */
export type TraceContext = Context | undefined;

const TRACER_NAME = 'memelab';

/** Paths that probes and scrapers call every few seconds: no trace is worth keeping for them. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * True when traces are to be exported: `OTEL_TRACES_EXPORTER` names an exporter other than
 * `none`, or, with that unset, an OTLP endpoint is given. `OTEL_SDK_DISABLED=true` wins.
 */
export const tracingEnabled = (env: NodeJS.ProcessEnv = process.env): boolean => {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (exporters.length > 0) return exporters.some((name) => name !== 'none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
};

export interface Tracing {
  readonly enabled: boolean;
  /** Exports the spans still buffered and stops; call it last during shutdown. */
  shutdown(): Promise<void>;
}

const TRACING_OFF: Tracing = { enabled: false, shutdown: async () => {} };

/**
 * Starts the OpenTelemetry Node SDK when {@link tracingEnabled}: W3C trace context, the
 * exporter, batching and sampling as the `OTEL_*` variables say (OTLP over HTTP/protobuf by
 * default), HTTP server and client spans and PostgreSQL query spans. `serviceName` applies
 * unless `OTEL_SERVICE_NAME` is set.
 *
 * The instrumentations patch prototypes of `node:http` and `pg` (`Server.prototype.emit`,
 * `Client.prototype.query`), which they do when the module is next required. The server
 * entry points load those modules as ES modules before this runs (and the server bundle
 * imports its packages at its top), so each is required once more here: the shared exports
 * get patched in place, and servers and pools created afterwards are traced, under tsx and
 * in the bundle alike, without a loader hook.
 */
export const startTracing = async ({
  serviceName,
  env = process.env,
}: {
  readonly serviceName: string;
  readonly env?: NodeJS.ProcessEnv;
}): Promise<Tracing> => {
  if (!tracingEnabled(env)) return TRACING_OFF;
  const [api, { NodeSDK }, { HttpInstrumentation }, { PgInstrumentation }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME?.trim() || serviceName,
    // Traces only: metrics are scraped by Prometheus and logs go to stdout, so the SDK's own
    // metrics and logs pipelines (OTLP by default) stay off unless their variables ask for them.
    ...(env.OTEL_METRICS_EXPORTER?.trim() ? {} : { metricReaders: [] }),
    ...(env.OTEL_LOGS_EXPORTER?.trim() ? {} : { logRecordProcessors: [] }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0] ?? ''),
      }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  otel = api;
  const require = createRequire(import.meta.url);
  for (const id of ['node:http', 'node:https', 'pg', 'pg-pool']) {
    try {
      require(id);
    } catch {
      // Not installed in this process (healthcare-api has no pg-pool of its own, say): nothing to patch.
    }
  }
  return {
    enabled: true,
    shutdown: async () => {
      await sdk.shutdown();
    },
  };
};

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** The parent, when it is not the active context (a job's producer, say). */
  readonly parent?: TraceContext;
}

/**
 * Runs `work` inside a new active span that ends when the work settles; a failure is
 * recorded on the span (status error, exception event) and rethrown.
 */
export const withSpan = <T>(name: string, options: SpanOptions, work: (span: SpanHandle) => Promise<T>): Promise<T> => {
  const api = otel;
  if (api === undefined) {
    try {
      return work(UNRECORDED);
    } catch (error) {
      // The same contract as with tracing on: a failure is a rejected promise, never a throw.
      return Promise.reject(error);
    }
  }
  return api.trace.getTracer(TRACER_NAME).startActiveSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes === undefined ? {} : { attributes: options.attributes }),
    },
    options.parent ?? api.context.active(),
    async (span: Span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({
          code: api.SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : String(error),
        });
        throw error;
      } finally {
        span.end();
      }
    },
  );
};

/** W3C trace context headers (`traceparent`, `tracestate`) for the active span: for a message going out. */
export interface TraceHeaders {
  readonly traceparent?: string;
  readonly tracestate?: string;
}

const NO_TRACE_HEADERS: TraceHeaders = Object.freeze({});

export const traceHeaders = (): TraceHeaders => {
  if (otel === undefined) return NO_TRACE_HEADERS;
  const carrier: Record<string, string> = {};
  otel.propagation.inject(otel.context.active(), carrier);
  const { traceparent, tracestate } = carrier;
  return { ...(traceparent === undefined ? {} : { traceparent }), ...(tracestate === undefined ? {} : { tracestate }) };
};

/** The context a message's trace headers name, to parent the span that processes it. */
export const contextFromTraceHeaders = (headers: TraceHeaders): TraceContext =>
  otel?.propagation.extract(otel.context.active(), headers);

/**
 * Names the active HTTP server span by its route template (`POST /api/memes`), as the
 * HTTP instrumentation cannot know routes; call it from the framework's request hook.
 */
export const nameHttpServerSpan = (method: string, route: string | undefined): void => {
  if (otel === undefined || route === undefined) return;
  const span = otel.trace.getActiveSpan();
  if (span === undefined || !span.isRecording()) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
};

/** The active span's trace and span ids, when a span is being recorded: for log lines. */
export const activeTraceIds = (): { readonly traceId: string; readonly spanId: string } | undefined => {
  const span = otel?.trace.getActiveSpan();
  if (span === undefined) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  // Unsampled spans are never exported, so their ids would lead nowhere.
  return (traceFlags & 1) === 1 ? { traceId, spanId } : undefined;
};
