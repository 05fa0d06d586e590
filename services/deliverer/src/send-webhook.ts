import { isIP } from 'node:net';
import type { Dispatcher } from 'undici';
import { toStorableText, type AttemptErrorKind } from '@triggers/db';
import { isPublicAddress } from '@triggers/webhooks';
import { parseRetryAfter, type AttemptOutcome } from './retry-policy.js';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** What happened; its texts (`error`, `responseBody`) are storable whatever the receiver sent. */
export interface SendResult {
  outcome: AttemptOutcome;
  statusCode: number | null;
  durationMs: number;
  errorKind: AttemptErrorKind | null;
  error: string | null;
  responseBody: string | null;
}

/** At most this many characters of an error's text are kept. */
const MAX_ERROR_CHARS = 500;

export interface SenderOptions {
  allowPrivateTargets: boolean;
  responseBodyMaxBytes: number;
}

/**
 * Sends one webhook POST over a keep-alive pool and classifies what happened. Never throws: every
 * failure becomes an outcome the retry policy understands. What comes from the receiver (its body,
 * texts of errors its answer caused) is made storable here (`toStorableText`), before it joins an
 * attempt record that shares a statement with other organizations' records. Redirects are not followed (a 3xx is a
 * failed attempt), so a receiver cannot bounce us to an address the SSRF guard never checked.
 */
export async function sendWebhook(
  dispatcher: Dispatcher,
  request: WebhookRequest,
  options: SenderOptions,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(request.url);
  // Sockets skip DNS (and so the guarded lookup) for IP literals: judge those here.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateTargets && isIP(host) && !isPublicAddress(host)) {
    return failure('ssrf_blocked', `${host} is not a public address`, elapsed());
  }
  try {
    const res = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: request.headers,
      body: request.body,
      headersTimeout: request.timeoutMs,
      bodyTimeout: request.timeoutMs,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const responseBody = await readPrefix(res.body, options.responseBodyMaxBytes);
    const retryAfter = res.headers['retry-after'];
    return {
      outcome: {
        kind: 'response',
        status: res.statusCode,
        retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
      },
      statusCode: res.statusCode,
      durationMs: elapsed(),
      errorKind: res.statusCode >= 200 && res.statusCode < 300 ? null : 'http_status',
      error: res.statusCode >= 200 && res.statusCode < 300 ? null : `HTTP ${res.statusCode}`,
      responseBody,
    };
  } catch (err) {
    const kind = classifyError(err);
    return failure(kind, describe(err), elapsed());
  }
}

function failure(
  kind: 'timeout' | 'network' | 'dns' | 'ssrf_blocked',
  error: string,
  durationMs: number,
): SendResult {
  return { outcome: { kind }, statusCode: null, durationMs, errorKind: kind, error, responseBody: null };
}

/**
 * The first `maxBytes` of a body, as storable text: invalid UTF-8 decodes to U+FFFD (never to a lone
 * surrogate), NUL characters are escaped; the rest is not read (the connection is dropped instead).
 */
async function readPrefix(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) {
      body.destroy();
      break;
    }
  }
  if (size === 0) return null;
  return toStorableText(Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'), maxBytes);
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME']);

function classifyError(err: unknown): 'timeout' | 'network' | 'dns' | 'ssrf_blocked' {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const { code, name } = e as { code?: string; name?: string };
    if (code === 'ERR_PRIVATE_ADDRESS') return 'ssrf_blocked';
    if (name === 'TimeoutError' || name === 'AbortError' || (code && TIMEOUT_CODES.has(code)))
      return 'timeout';
    if (code && DNS_CODES.has(code)) return 'dns';
  }
  return 'network';
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const text = [e.code ?? e.cause?.code, e.message ?? e.cause?.message].filter(Boolean).join(': ');
  return toStorableText(text, MAX_ERROR_CHARS) || 'request failed';
}
