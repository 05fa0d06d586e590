import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';

/**
 * The body the ingest API answers with, so that the load generator does the same work (read and
 * parse a small JSON body, collect the id) against a ceiling as against the real service.
 */
export function acceptedBody(): string {
  return JSON.stringify({ id: randomUUID(), status: 'accepted', received_at: new Date().toISOString() });
}

/**
 * Listens on HOST (default 127.0.0.1) and PORT (default any free port), tells the parent process
 * the port over IPC (or prints it when started by hand), and closes on SIGTERM. Only the entry
 * points of the bench's own servers (ceilings, sinks) call this.
 */
export function serveForBenchmark(server: Server): void {
  server.keepAliveTimeout = 60_000;
  const host = process.env.HOST ?? '127.0.0.1';
  server.listen(Number(process.env.PORT ?? 0), host, () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
    if (process.send) process.send({ port: address.port });
    else process.stdout.write(`listening on http://${host}:${address.port}\n`);
  });
  // An orphan would hold its port and a core: leave with the benchmark that started us.
  process.once('disconnect', () => process.exit(0));
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
