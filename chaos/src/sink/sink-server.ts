import { createWriteStream } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Receipt, SinkAnswer } from './receipts.js';

/** How the sink answers from now on ('ok' is healthy; the rest are the faults it can play). */
export type SinkMode = SinkAnswer;

export interface SinkServer {
  url: string;
  /** Switches the answer; leaving 'hang' drops the hung connections, as a restarted receiver would. */
  setMode: (mode: SinkMode) => void;
  /** Requests received, by answer. */
  counts: () => Record<SinkAnswer, number>;
  /** Resolves once every receipt so far is written to the log. */
  flush: () => Promise<void>;
  close: () => Promise<void>;
}

/** Retry-After sent with 429: the deliverer must wait at least this long before trying again. */
export const THROTTLE_RETRY_AFTER_SECONDS = 1;

/**
 * The webhook receiver of the suite, on 127.0.0.1: logs the `webhook-id`, `webhook-timestamp`,
 * event id and endpoint (path) of every request as one JSON line in `logFile` (the sink's log),
 * and answers according to its mode.
 */
export async function startSinkServer(logFile: string): Promise<SinkServer> {
  let mode: SinkMode = 'ok';
  const counts: Record<SinkAnswer, number> = { ok: 0, cut: 0, hang: 0, error: 0, throttle: 0 };
  const hanging = new Set<ServerResponse>();
  const log = createWriteStream(logFile, { flags: 'a' });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = mode;
      const receipt: Receipt = {
        at: Date.now(),
        sentAt: Number(req.headers['webhook-timestamp'] ?? 0) * 1000,
        webhookId: String(req.headers['webhook-id'] ?? ''),
        eventId: eventIdOf(Buffer.concat(chunks).toString('utf8')),
        endpoint: req.url ?? '/',
        answer,
      };
      counts[answer] += 1;
      log.write(`${JSON.stringify(receipt)}\n`);
      respond(res, answer, hanging);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setMode: (next) => {
      if (mode === 'hang' && next !== 'hang') {
        for (const res of hanging) res.destroy();
        hanging.clear();
      }
      mode = next;
    },
    counts: () => ({ ...counts }),
    flush: () => new Promise<void>((resolve) => log.write('', () => resolve())),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };
}

function respond(res: ServerResponse, answer: SinkAnswer, hanging: Set<ServerResponse>): void {
  switch (answer) {
    case 'ok':
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      return;
    case 'error':
      res.writeHead(500, { 'content-type': 'text/plain' }).end('receiver failed');
      return;
    case 'throttle':
      res
        .writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(THROTTLE_RETRY_AFTER_SECONDS) })
        .end('slow down');
      return;
    case 'hang':
      hanging.add(res);
      res.once('close', () => hanging.delete(res));
      return;
    case 'cut':
      // Status line and part of the promised body, then the connection drops.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '64' });
      res.write('{"received":', () => res.socket?.destroy());
      return;
  }
}

function eventIdOf(body: string): string {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}
