import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * Forwards TCP connections from `listenHost` to a service on this machine's loopback.
 *
 * PostgreSQL and RabbitMQ here listen on 127.0.0.1 only, which containers on a podman
 * network cannot reach; a relay on the network's gateway address stands in for the
 * service's own hostname in a real deployment. Connections arrive at the service from
 * 127.0.0.1, as the machine's trust rules (PostgreSQL trust auth, RabbitMQ's loopback-only
 * guest user) expect.
 */
export interface TcpRelay {
  readonly port: number;
  close(): Promise<void>;
}

export const startTcpRelay = async (
  listenHost: string,
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<TcpRelay> => {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, listenHost, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no TCP address');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};
