import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import type { Logger } from '@triggers/runtime';

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
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      const body =
        req.url === '/stats' ? JSON.stringify({ ...stats, distinct: seen.size }) : '{"status":"ok"}';
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const webhookId = String(req.headers['webhook-id'] ?? '');
      stats.received++;
      seen.add(webhookId);
      const verification = verify(options.secretsFile, body, req.headers);
      if (verification === 'rejected') stats.rejected++;
      if (verification === 'verified') stats.verified++;
      log.info(
        { webhookId, path: req.url, verification, type: safeType(body), bytes: body.length },
        'webhook received',
      );
      const answer = () => res.writeHead(verification === 'rejected' ? 401 : options.answer.status).end();
      if (options.answer.delayMs > 0) setTimeout(answer, options.answer.delayMs);
      else answer();
    });
  });
  return Object.assign(server, { stats: () => ({ ...stats, distinct: seen.size }) });
}

function verify(
  secretsFile: string | undefined,
  body: string,
  headers: IncomingHttpHeaders,
): 'verified' | 'rejected' | 'unchecked' {
  if (!secretsFile) return 'unchecked';
  let secrets: string[];
  try {
    secrets = readFileSync(secretsFile, 'utf8')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
  } catch {
    return 'unchecked';
  }
  const plain = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
  return secrets.some((secret) => verifies(secret, body, plain)) ? 'verified' : 'rejected';
}

function verifies(secret: string, body: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

function safeType(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { type?: string }).type;
  } catch {
    return undefined;
  }
}
