import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Readiness } from './readiness.js';

/**
 * The operations listener every service runs beside its work: `/metrics`, `/healthz` (the process
 * answers) and `/readyz` (its dependencies answer and it is not draining). Plain node:http so that
 * it stays up and cheap even when the service's own HTTP stack is saturated.
 */
export function createOpsServer(deps: { registry: Registry; readiness: Readiness }): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'application/problem+json', allow: 'GET, HEAD' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Method Not Allowed', status: 405 }));
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
      return;
    }
    if (path === '/readyz') {
      void deps.readiness.report().then((report) => {
        res.writeHead(report.ready ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(report));
      });
      return;
    }
    if (path === '/metrics') {
      deps.registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': deps.registry.contentType });
          res.end(body);
        },
        () => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('metrics collection failed\n');
        },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }));
  });
}

/** Resolves once `server` listens on `port` (0 picks a free one); returns the bound port. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Stops accepting connections and closes idle keep-alive ones; resolves when in-flight requests are done. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
