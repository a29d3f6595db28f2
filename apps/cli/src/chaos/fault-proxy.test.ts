import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from './fault-proxy.ts';

/** An echo server behind the proxy. */
let echo: Server;
let proxy: FaultProxy;

beforeEach(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const address = echo.address();
  proxy = await startFaultProxy(typeof address === 'object' && address !== null ? address.port : 0);
});

afterEach(async () => {
  await proxy.close();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

const open = (): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = createConnection({ port: proxy.port, host: '127.0.0.1' }, () => resolve(socket));
    socket.once('error', reject);
  });

/** The echo of `text`, or `closed` / `silent` after `waitMs`. */
const roundTrip = (socket: Socket, text: string, waitMs = 300): Promise<string> =>
  new Promise((resolve) => {
    let received = '';
    const timer = setTimeout(() => resolve(received === '' ? 'silent' : received), waitMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (received === text) {
        clearTimeout(timer);
        resolve(received);
      }
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
    socket.write(text);
  });

describe('fault proxy', () => {
  it('passes bytes both ways', async () => {
    const socket = await open();
    expect(await roundTrip(socket, 'hello')).toBe('hello');
    socket.destroy();
  });

  it('delays each direction by the latency', async () => {
    proxy.set({ kind: 'latency', ms: 60 });
    const socket = await open();
    const started = performance.now();
    expect(await roundTrip(socket, 'slow', 2000)).toBe('slow');
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    socket.destroy();
  });

  it('cut: drops open connections and refuses new ones until healed', async () => {
    const socket = await open();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    proxy.set({ kind: 'cut' });
    await closed;
    const refused = await open();
    expect(await roundTrip(refused, 'x')).toBe('closed');
    proxy.set({ kind: 'pass' });
    const healed = await open();
    expect(await roundTrip(healed, 'back')).toBe('back');
    healed.destroy();
  });

  it('half-open: connections stay up but nothing comes back', async () => {
    const socket = await open();
    proxy.set({ kind: 'half-open' });
    expect(await roundTrip(socket, 'lost', 200)).toBe('silent');
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });
});
