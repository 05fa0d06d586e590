import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendAnswer, type ReceiverAnswer } from './answers.js';
import { verifySignature, type Verification } from './signature.js';

export interface ReceivedWebhook {
  /** When the whole request had arrived, by the receiver's `clock`. */
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  verification: Verification;
}

/** Decides the answer to a webhook; `n` is its 1-based number. */
export type AnswerRule = (request: ReceivedWebhook, n: number) => ReceiverAnswer;

/** The answer to a request that is not a webhook (a stats page, a reset). */
export interface ControlAnswer {
  status: number;
  /** Sent as application/json. */
  json?: unknown;
}

export interface WebhookReceiverOptions {
  /** Default: 200 to everything. */
  answer?: AnswerRule;
  /**
   * Keep every webhook in `received` (default). Off for long runs and benchmarks, which count in
   * `onReceived` instead of holding every body.
   */
  keepReceived?: boolean;
  /** Called for every webhook once answered (a hang or a delay still to come). */
  onReceived?: (request: ReceivedWebhook, answer: ReceiverAnswer) => void;
  /**
   * The endpoint secrets to check signatures against, asked for each request (a file re-read, say);
   * undefined: not checked. A forgery is answered 401, whatever `answer` says.
   */
  secrets?: () => readonly string[] | undefined;
  /**
   * Wall-clock ms for `at`; default Date.now, which every process on the machine agrees on. The
   * bench passes its sub-ms clock.
   */
  clock?: () => number;
  /** Serves the requests that are not webhooks: return an answer for those. */
  control?: (method: string, url: string) => ControlAnswer | undefined;
}

export interface ReceiverServer {
  server: Server;
  /** The webhooks so far, oldest first (empty unless `keepReceived`). */
  received: ReceivedWebhook[];
  /** How the next webhooks are answered. */
  answerWith: (answer: AnswerRule) => void;
  /** Closes the connections left hanging, as a receiver that restarts would. */
  dropHanging: () => void;
}

/** A webhook receiver as an HTTP server, not yet listening. */
export function createWebhookReceiver(options: WebhookReceiverOptions = {}): ReceiverServer {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<ServerResponse>();
  const keep = options.keepReceived ?? true;
  const clock = options.clock ?? Date.now;
  let decide: AnswerRule = options.answer ?? (() => ({ status: 200 }));
  let count = 0;
  const server = createServer((req, res) => {
    const control = options.control?.(req.method ?? 'GET', req.url ?? '/');
    if (control !== undefined) {
      if (control.json === undefined) res.writeHead(control.status).end();
      else
        res
          .writeHead(control.status, { 'content-type': 'application/json' })
          .end(JSON.stringify(control.json));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = clock();
      const body = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedWebhook = {
        at,
        path: req.url ?? '/',
        headers: req.headers,
        body,
        verification: verifySignature(options.secrets?.(), body, req.headers),
      };
      count += 1;
      if (keep) received.push(request);
      const answer = request.verification === 'rejected' ? { status: 401 } : decide(request, count);
      sendAnswer(req, res, answer, hanging);
      options.onReceived?.(request, answer);
    });
  });
  server.keepAliveTimeout = 60_000;
  return {
    server,
    received,
    answerWith: (next) => {
      decide = next;
    },
    dropHanging: () => {
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
  };
}

export interface WebhookReceiver extends ReceiverServer {
  url: string;
  port: number;
  close: () => Promise<void>;
}

/**
 * A webhook receiver listening on 127.0.0.1 (a free port unless `port` is given): the far side of
 * the deliverer's tests and of the tools that run the pipeline. `answer` alone is short for
 * `{ answer }`.
 */
export async function startWebhookReceiver(
  options: WebhookReceiverOptions | AnswerRule = {},
  listenOn: { host?: string; port?: number } = {},
): Promise<WebhookReceiver> {
  const receiver = createWebhookReceiver(typeof options === 'function' ? { answer: options } : options);
  const { server } = receiver;
  const host = listenOn.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenOn.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      receiver.dropHanging();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
