import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Logger } from '@triggers/runtime';
import { createWebhookReceiver } from '@triggers/webhook-receiver';

export interface SinkOptions {
  /** Where the endpoint secrets are; undefined skips verification. */
  secretsFile: string | undefined;
  answer: { status: number; delayMs: number };
}

export interface SinkStats {
  received: number;
  distinct: number;
  verified: number;
  rejected: number;
}

/**
 * A webhook receiver for local use and demos: verifies each request the way a consumer would (with
 * the `standardwebhooks` library), logs it, and answers as configured. `GET /stats` counts what
 * arrived; `GET /healthz` and `/readyz` answer 200.
 */
export function createSink(options: SinkOptions, log: Logger): Server & { stats: () => SinkStats } {
  const seen = new Set<string>();
  const stats = { received: 0, verified: 0, rejected: 0 };
  const snapshot = () => ({ ...stats, distinct: seen.size });
  const { server } = createWebhookReceiver({
    keepReceived: false,
    secrets: () => readSecrets(options.secretsFile),
    answer: () => ({ status: options.answer.status, delayMs: options.answer.delayMs }),
    control: (method, url) =>
      method === 'GET' ? { status: 200, json: url === '/stats' ? snapshot() : { status: 'ok' } } : undefined,
    onReceived: ({ headers, body, path, verification }) => {
      const webhookId = String(headers['webhook-id'] ?? '');
      stats.received++;
      if (webhookId !== '') seen.add(webhookId);
      if (verification === 'rejected') stats.rejected++;
      if (verification === 'verified') stats.verified++;
      log.info(
        { webhookId, path, verification, type: safeType(body), bytes: body.length },
        'webhook received',
      );
    },
  });
  return Object.assign(server, { stats: snapshot });
}

/** Read on each request, so that a secret rotated meanwhile counts; unreadable: not checked. */
function readSecrets(file: string | undefined): string[] | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
  } catch {
    return undefined;
  }
}

function safeType(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { type?: string }).type;
  } catch {
    return undefined;
  }
}
