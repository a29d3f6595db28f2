import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a dependency that can break the path on command, as a network
 * would: add latency, cut every connection and refuse new ones, or go half-open (connections
 * stay up but nothing gets through). Written here rather than taken from Toxiproxy because
 * that needs its own server binary, and this is all a chaos experiment on one machine needs.
 */
export type FaultMode = { kind: 'pass' } | { kind: 'latency'; ms: number } | { kind: 'cut' } | { kind: 'half-open' };

export interface FaultProxy {
  readonly port: number;
  readonly mode: FaultMode;
  set(mode: FaultMode): void;
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  upstream?: Socket;
}

export const startFaultProxy = async (targetPort: number, targetHost = '127.0.0.1'): Promise<FaultProxy> => {
  let mode: FaultMode = { kind: 'pass' };
  const pairs = new Set<Pair>();

  /** Forwards one direction, in order, after the current latency; drops data while half-open. */
  const forward = (from: Socket, to: () => Socket | undefined) => {
    let chain = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      const current = mode;
      if (current.kind === 'half-open' || current.kind === 'cut') return;
      const delay = current.kind === 'latency' ? current.ms : 0;
      chain = chain.then(async () => {
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        const target = to();
        if (target !== undefined && !target.destroyed) target.write(chunk);
      });
    });
  };

  const server: Server = createServer((client) => {
    if (mode.kind === 'cut') {
      client.destroy();
      return;
    }
    const pair: Pair = { client };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      pair.upstream?.destroy();
    };
    client.on('error', end);
    client.on('close', end);
    forward(client, () => pair.upstream);
    if (mode.kind === 'half-open') return; // accepted, never connected onwards
    const upstream = connect(targetPort, targetHost);
    pair.upstream = upstream;
    upstream.on('error', end);
    upstream.on('close', end);
    forward(upstream, () => client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy has no TCP address');
  return {
    port: address.port,
    get mode() {
      return mode;
    },
    set(next) {
      mode = next;
      if (next.kind === 'cut') {
        for (const pair of pairs) {
          pair.client.destroy();
          pair.upstream?.destroy();
        }
        pairs.clear();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of pairs) {
          pair.client.destroy();
          pair.upstream?.destroy();
        }
        server.close(() => resolve());
      }),
  };
};
