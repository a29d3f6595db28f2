/**
 * Tracing across processes: `memelab api` and `memelab worker` against the machine's
 * PostgreSQL and RabbitMQ and an S3-compatible server, exporting OTLP/HTTP JSON to a local
 * receiver. One meme request must give one trace: the API's request span, the publish span
 * under it, the worker's consume span under the publish span (its parent carried in the AMQP
 * message's `traceparent` header), and the render and object store spans under that. Run
 * from the TypeScript source (tsx) and from the server bundle the images run, and in
 * embedded mode (one process, in-process queue).
 */
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleServer } from '../../../scripts/bundle-server.ts';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './testing/otlp-receiver.ts';
import {
  type DistributedBackends,
  type MemelabProcess,
  makeTempDir,
  memeClient,
  removeDir,
  startDistributedBackends,
  startMemelab,
} from './testing/process-stack.ts';

const NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));

const SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

let backends: DistributedBackends;
let receiver: OtlpReceiver;
let workDir: string;
/** The server bundle, built from this checkout with the repository's node_modules beside it. */
let bundleScript: string;
const processes: MemelabProcess[] = [];

const tracingEnv = (serviceName: string): Record<string, string> => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  OTEL_SERVICE_NAME: serviceName,
  OTEL_BSP_SCHEDULE_DELAY: '100',
  // Were the SDK's metrics pipeline on, it would post to /v1/metrics this often: only traces may arrive.
  OTEL_METRIC_EXPORT_INTERVAL: '200',
  LOG_LEVEL: 'info',
  LOG_FORMAT: 'json',
});

const stopProcess = async (memelab: MemelabProcess): Promise<void> => {
  if (memelab.child.exitCode === null && memelab.child.signalCode === null) memelab.child.kill('SIGTERM');
  await memelab.exited;
};

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  backends = await startDistributedBackends();
  workDir = await makeTempDir();
  await symlink(NODE_MODULES, join(workDir, 'node_modules'), 'dir');
  bundleScript = join((await bundleServer(join(workDir, 'server'))).outDir, 'memelab.mjs');
});

afterAll(async () => {
  await Promise.all(processes.splice(0).map(stopProcess));
  await backends?.cleanup();
  await receiver?.close();
  if (workDir !== undefined) await removeDir(workDir);
});

const waitFor = async <T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> => {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const jsonLines = (output: string): Record<string, unknown>[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

interface TraceExpectation {
  readonly apiService: string;
  readonly workerService: string;
  /** PostgreSQL statement spans are expected from these services (none with the embedded database). */
  readonly databaseServices: readonly string[];
}

/** Waits for the meme's trace and checks its shape; resolves to its trace id. */
const expectOneTrace = async (
  id: string,
  { apiService, workerService, databaseServices }: TraceExpectation,
): Promise<string> => {
  const byMeme = (span: ReceivedSpan) => span.attributes['memelab.meme.id'] === id;
  const publish = await waitFor('the publish span', () =>
    receiver.spans.find((s) => byMeme(s) && s.kind === SPAN_KIND.producer),
  );
  const traceId = publish.traceId;
  const inTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
  const consume = await waitFor('the consume span', () => inTrace().find((s) => s.name === 'process render'));
  const store = await waitFor('the store put span', () => inTrace().find((s) => s.name === 'object store put'));
  const render = await waitFor('the render span', () => inTrace().find((s) => s.name === 'render meme'));
  const request = await waitFor('the API request span', () =>
    inTrace().find((s) => s.kind === SPAN_KIND.server && s.name === 'POST /api/memes'),
  );

  // The request is the root; each hop is the child of the one before it.
  expect(request).toMatchObject({ service: apiService, parentSpanId: '' });
  expect(request.attributes['http.route']).toBe('/api/memes');
  expect(publish).toMatchObject({ service: apiService, name: 'publish render', parentSpanId: request.spanId });
  expect(consume).toMatchObject({ service: workerService, kind: SPAN_KIND.consumer, parentSpanId: publish.spanId });
  expect(consume.attributes).toMatchObject({ 'memelab.meme.id': id, 'memelab.job.outcome': 'done' });
  expect(render).toMatchObject({ service: workerService, parentSpanId: consume.spanId });
  expect(store).toMatchObject({ service: workerService, kind: SPAN_KIND.client, parentSpanId: consume.spanId });
  expect(String(store.attributes['memelab.object.key'])).toContain(id);
  // PostgreSQL statements are in the same trace, under the spans that made them.
  const queries = inTrace().filter((span) => span.name.startsWith('pg.query'));
  expect(new Set(queries.map((span) => span.service))).toEqual(new Set(databaseServices));
  // Every span of the trace hangs off another span of it: nothing is orphaned.
  const ids = new Set(inTrace().map((span) => span.spanId));
  expect(inTrace().filter((span) => span.parentSpanId !== '' && !ids.has(span.parentSpanId))).toEqual([]);
  expect(receiver.rejected).toBe(0);
  return traceId;
};

const renderedLine = (memelab: MemelabProcess, id: string) =>
  jsonLines(memelab.output()).find((line) => line.msg === 'meme rendered' && line.memeId === id);

describe('tracing in distributed mode', () => {
  it.each([
    ['the TypeScript source', undefined],
    ['the server bundle', 'bundle'],
  ] as const)(
    'follows one meme request from the API through RabbitMQ into the worker as one trace, run from %s',
    async (from, build) => {
      const script = build === undefined ? {} : { script: bundleScript };
      const suffix = build === undefined ? 'source' : 'bundle';
      const api = await startMemelab('api', { ...backends.env, ...tracingEnv(`memelab-api-${suffix}`) }, script);
      processes.push(api);
      const worker = await startMemelab(
        'worker',
        { ...backends.env, ...tracingEnv(`memelab-worker-${suffix}`) },
        script,
      );
      processes.push(worker);
      const client = memeClient(`http://127.0.0.1:${api.port}`);

      const { id, status } = await client.create(['one trace', `from ${from} ${Date.now()}`]);
      expect(status).toBe(202);
      await expect(client.waitAllDone([id], 30_000)).resolves.toEqual({ done: 1, pending: [] });

      const traceId = await expectOneTrace(id, {
        apiService: `memelab-api-${suffix}`,
        workerService: `memelab-worker-${suffix}`,
        databaseServices: [`memelab-api-${suffix}`, `memelab-worker-${suffix}`],
      });
      // The worker's log line for the meme carries the same trace id.
      expect(renderedLine(worker, id)?.traceId).toBe(traceId);
      await Promise.all([stopProcess(api), stopProcess(worker)]);
    },
  );
});

describe('tracing in embedded mode', () => {
  it('follows one meme request through the in-process queue as one trace', async () => {
    const dataDir = join(workDir, 'embedded');
    const memelab = await startMemelab('start', { ...tracingEnv('memelab-embedded'), DATA_DIR: dataDir });
    processes.push(memelab);
    const client = memeClient(`http://127.0.0.1:${memelab.port}`);

    const { id, status } = await client.create(['one trace', `embedded ${Date.now()}`]);
    expect(status).toBe(202);
    await expect(client.waitAllDone([id], 30_000)).resolves.toEqual({ done: 1, pending: [] });

    const traceId = await expectOneTrace(id, {
      apiService: 'memelab-embedded',
      workerService: 'memelab-embedded',
      databaseServices: [],
    });
    expect(renderedLine(memelab, id)?.traceId).toBe(traceId);
  });
});
