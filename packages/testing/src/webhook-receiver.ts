import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * How the receiver answers one request: a status (with headers/body), a hang, or a dropped
 * connection. A `Uint8Array` body is sent byte for byte (bytes that are not UTF-8, say).
 */
export type ReceiverAnswer =
  | { status: number; headers?: Record<string, string>; body?: string | Uint8Array; delayMs?: number }
  | 'hang'
  | 'destroy';

export interface WebhookReceiver {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** Changes how the next requests are answered (the argument gets the 1-based request number). */
  answerWith: (answer: (request: ReceivedWebhook, n: number) => ReceiverAnswer) => void;
  close: () => Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that records every webhook it receives and answers as told:
 * the far side of the deliverer's tests.
 */
export async function startWebhookReceiver(
  answer: (request: ReceivedWebhook, n: number) => ReceiverAnswer = () => ({ status: 200 }),
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<ServerResponse>();
  let decide = answer;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        at: Date.now(),
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      const a = decide(request, received.length);
      if (a === 'hang') {
        hanging.add(res);
        return;
      }
      if (a === 'destroy') {
        req.socket.destroy();
        return;
      }
      const send = () =>
        res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers }).end(a.body ?? '');
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    answerWith: (next) => {
      decide = next;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
