/**
 * S3 upload benchmark: CPU per PutObject in this process, through the AWS SDK's PutObject
 * and through the adapter's direct signed PUT, against an S3-compatible server (s3rver) in
 * a process of its own. CPU time (process.cpuUsage), not wall time, so the figure holds on
 * a busy machine. Prints one JSON line.
 *
 *   npm run bench:s3-put -- [--puts N] [--bytes B] [--concurrency C]
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { S3ObjectStore } from '../packages/adapters/src/storage/s3-object-store.adapter.ts';
import { startS3TestServer } from '../packages/adapters/src/storage/testing/s3-test-server.ts';
import { processCpuMs } from './process-cpu.ts';

const { values } = parseArgs({
  options: {
    puts: { type: 'string', default: '400' },
    /** A rendered 600 x 720 meme is 60 to 120 KB of JPEG. */
    bytes: { type: 'string', default: '90000' },
    concurrency: { type: 'string', default: '4' },
  },
});
const puts = Number(values.puts);
const bytes = Number(values.bytes);
const concurrency = Number(values.concurrency);

const server = await startS3TestServer({
  separateProcess: true,
  ...(existsSync('/dev/shm') ? { parentDirectory: '/dev/shm' } : {}),
});
const storeWith = (directPut: boolean): S3ObjectStore =>
  new S3ObjectStore({
    endpoint: server.endpoint,
    region: server.region,
    bucket: 'bench',
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    directPut,
  });
const stores = { sdk: storeWith(false), direct: storeWith(true) };
const body = new Uint8Array(bytes).map((_, index) => (index * 31) % 251);

/** CPU ms and wall ms for `count` puts, `concurrency` at a time. */
const serverCpuMs = async (): Promise<number> =>
  server.pid === undefined ? 0 : ((await processCpuMs(server.pid)) ?? 0);

const run = async (
  store: S3ObjectStore,
  label: string,
  count: number,
): Promise<{ cpuMs: number; wallMs: number; serverMs: number }> => {
  let next = 0;
  const serverAtStart = await serverCpuMs();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        await store.put(`memes/${label}/${index % 50}.jpg`, body, 'image/jpeg');
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    cpuMs: (used.user + used.system) / 1000,
    wallMs: performance.now() - started,
    serverMs: (await serverCpuMs()) - serverAtStart,
  };
};

try {
  await stores.sdk.setup();
  const loadAtStart = loadavg()[0] ?? 0;
  // Warm both paths (JIT, connection pools), then alternate halves so drift in the
  // machine's speed touches both alike.
  await run(stores.sdk, 'warm', 100);
  await run(stores.direct, 'warm', 100);
  const totals = { sdk: { cpuMs: 0, wallMs: 0, serverMs: 0 }, direct: { cpuMs: 0, wallMs: 0, serverMs: 0 } };
  for (let round = 0; round < 2; round++) {
    for (const name of ['sdk', 'direct'] as const) {
      const result = await run(stores[name], name, puts / 2);
      totals[name].cpuMs += result.cpuMs;
      totals[name].wallMs += result.wallMs;
      totals[name].serverMs += result.serverMs;
    }
  }
  const round2 = (value: number): number => Math.round(value * 100) / 100;
  process.stdout.write(
    `${JSON.stringify({
      puts,
      bytes,
      concurrency,
      sdkCpuMsPerPut: round2(totals.sdk.cpuMs / puts),
      directCpuMsPerPut: round2(totals.direct.cpuMs / puts),
      cpuRatio: round2(totals.direct.cpuMs / totals.sdk.cpuMs),
      // The S3 stand-in's CPU for the same puts: both paths must cost the server alike.
      serverCpuMsPerSdkPut: round2(totals.sdk.serverMs / puts),
      serverCpuMsPerDirectPut: round2(totals.direct.serverMs / puts),
      sdkPutsPerSec: Math.round((puts * 1000) / totals.sdk.wallMs),
      directPutsPerSec: Math.round((puts * 1000) / totals.direct.wallMs),
      loadAverage: [round2(loadAtStart), round2(loadavg()[0] ?? 0)],
    })}\n`,
  );
} finally {
  await stores.sdk.close();
  await stores.direct.close();
  await server.stop();
}
