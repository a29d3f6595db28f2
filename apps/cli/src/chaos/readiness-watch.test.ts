import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchReadiness } from './readiness-watch.ts';

let server: Server;
let status = 200;
let url = '';
let polls: number[] = [];

beforeEach(async () => {
  status = 200;
  polls = [];
  server = createServer((_request, response) => {
    polls.push(status);
    response.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/readyz`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('readiness watch', () => {
  it('goes not ready only after the failure threshold, and ready after one success', async () => {
    const watch = watchReadiness(() => url, { intervalMs: 5, timeoutMs: 500, failureThreshold: 3 });
    await until(() => watch.changes.length === 1);
    status = 503;
    await until(() => watch.changes.length === 2);
    const failedPolls = polls.filter((code) => code === 503).length;
    status = 200;
    await until(() => watch.changes.length === 3);
    watch.stop();
    expect(watch.changes.map((change) => change.ready)).toEqual([true, false, true]);
    expect(failedPolls).toBeGreaterThanOrEqual(3);
    const [up, down, back] = watch.changes;
    expect(watch.stateAt(((up?.at ?? 0) + (down?.at ?? 0)) / 2)).toBe(true);
    expect(watch.stateAt(((down?.at ?? 0) + (back?.at ?? 0)) / 2)).toBe(false);
  });

  it('does not count one or two failed polls as an outage', async () => {
    let answered = 0;
    server.removeAllListeners('request');
    server.on('request', (_request, response) => {
      answered++;
      // Two failures in a row, then healthy again.
      response.writeHead(answered === 3 || answered === 4 ? 503 : 200).end();
    });
    const watch = watchReadiness(() => url, { intervalMs: 5, timeoutMs: 500, failureThreshold: 3 });
    await until(() => answered >= 8);
    watch.stop();
    expect(watch.changes.map((change) => change.ready)).toEqual([true]);
  });
});
