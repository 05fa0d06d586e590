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
 * Listens on 127.0.0.1 (PORT, default any free port), tells the parent process the port over IPC,
 * and closes on SIGTERM. Only the ceiling servers' entry points call this.
 */
export function serveForBenchmark(server: Server): void {
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
    process.send?.({ port: address.port });
  });
  // An orphan would hold its port and a core: leave with the benchmark that started us.
  process.once('disconnect', () => process.exit(0));
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
