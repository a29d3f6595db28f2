import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Readiness } from '../lifecycle/readiness.ts';

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `/healthz`, `/readyz` and `/metrics` for processes without an HTTP API of their own (the
 * render workers), so Kubernetes probes and Prometheus treat every role alike.
 */
export const startOpsServer = async (options: {
  readonly port: number;
  readonly host?: string;
  readonly readiness: Readiness;
  readonly metrics: Registry;
}): Promise<OpsServer> => {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, contentType: string, body: string): void => {
      response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (path === '/healthz') {
      send(200, 'application/json', '{"status":"ok"}');
    } else if (path === '/readyz') {
      void options.readiness
        .report()
        .then((report) => send(report.ready ? 200 : 503, 'application/json', JSON.stringify(report)));
    } else if (path === '/metrics') {
      void options.metrics.metrics().then(
        (text) => send(200, options.metrics.contentType, text),
        (error: unknown) => send(500, 'text/plain', String(error)),
      );
    } else {
      send(404, 'application/json', '{"status":404,"code":"NOT_FOUND"}');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
