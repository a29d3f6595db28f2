import { describe, expect, it } from 'vitest';
import {
  activeTraceIds,
  contextFromTraceHeaders,
  startTracing,
  traceHeaders,
  tracingEnabled,
  withSpan,
} from './tracing.ts';

describe('tracingEnabled', () => {
  it('is off when no OTEL variable asks for traces', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_SERVICE_NAME: 'memelab-api' })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBe(false);
  });

  it('is on with an OTLP endpoint, for all signals or for traces alone', () => {
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
  });

  it('follows OTEL_TRACES_EXPORTER when it is set, endpoint or not', () => {
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'none, otlp' })).toBe(true);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(
      false,
    );
  });

  it('is off whatever else is set when OTEL_SDK_DISABLED is true', () => {
    expect(tracingEnabled({ OTEL_SDK_DISABLED: 'TRUE', OTEL_TRACES_EXPORTER: 'otlp' })).toBe(false);
    expect(tracingEnabled({ OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
  });
});

describe('with tracing off', () => {
  it('starts no SDK', async () => {
    const tracing = await startTracing({ serviceName: 'memelab-test', env: {} });
    expect(tracing.enabled).toBe(false);
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });

  it('runs the work of a span, returns its result and rethrows its failure', async () => {
    await expect(withSpan('work', {}, async () => 42)).resolves.toBe(42);
    const failure = new Error('store down');
    await expect(
      withSpan('work', {}, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });

  it('turns a failure thrown before the first await into a rejection', async () => {
    const failure = new Error('bad key');
    const work = (): Promise<never> => {
      throw failure;
    };
    const running = withSpan('work', {}, work);
    await expect(running).rejects.toBe(failure);
  });

  it('adds no trace headers and no trace ids to log lines', async () => {
    await withSpan('work', {}, async () => {
      expect(traceHeaders()).toEqual({});
      expect(activeTraceIds()).toBeUndefined();
    });
  });

  it('takes no parent from trace headers', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(contextFromTraceHeaders({ traceparent })).toBeUndefined();
  });
});
