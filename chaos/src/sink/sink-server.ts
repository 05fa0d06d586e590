import { createWriteStream } from 'node:fs';
import { startWebhookReceiver, type ReceiverAnswer } from '@triggers/webhook-receiver';
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

const ANSWERS: Record<SinkAnswer, ReceiverAnswer> = {
  ok: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"received":true}' },
  error: { status: 500, body: 'receiver failed' },
  throttle: {
    status: 429,
    headers: { 'retry-after': String(THROTTLE_RETRY_AFTER_SECONDS) },
    body: 'slow down',
  },
  hang: 'hang',
  cut: 'cut',
};

/**
 * The webhook receiver of the suite, on 127.0.0.1: logs the `webhook-id`, `webhook-timestamp`,
 * event id and endpoint (path) of every request as one JSON line in `logFile` (the sink's log),
 * and answers according to its mode.
 */
export async function startSinkServer(logFile: string): Promise<SinkServer> {
  let mode: SinkMode = 'ok';
  const counts: Record<SinkAnswer, number> = { ok: 0, cut: 0, hang: 0, error: 0, throttle: 0 };
  const log = createWriteStream(logFile, { flags: 'a' });
  const receiver = await startWebhookReceiver({
    keepReceived: false,
    answer: () => ANSWERS[mode],
    onReceived: (request) => {
      const receipt: Receipt = {
        at: request.at,
        sentAt: Number(request.headers['webhook-timestamp'] ?? 0) * 1000,
        webhookId: String(request.headers['webhook-id'] ?? ''),
        eventId: eventIdOf(request.body),
        endpoint: request.path,
        answer: mode,
      };
      counts[mode] += 1;
      log.write(`${JSON.stringify(receipt)}\n`);
    },
  });

  return {
    url: receiver.url,
    setMode: (next) => {
      if (mode === 'hang' && next !== 'hang') receiver.dropHanging();
      mode = next;
    },
    counts: () => ({ ...counts }),
    flush: () => new Promise<void>((resolve) => log.write('', () => resolve())),
    close: async () => {
      await receiver.close();
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };
}

function eventIdOf(body: string): string {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}
