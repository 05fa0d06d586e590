import { performance } from 'node:perf_hooks';

/** One answer of the ingest API, as a client saw it; `status` is 'timeout' when none came in time. */
export interface ApiAnswer {
  status: number | 'timeout' | 'error';
  contentType: string;
  /** The parsed body, when it was JSON. */
  body: Record<string, unknown> | undefined;
  /** From sending the request to reading the whole answer. */
  ms: number;
}

/**
 * POSTs `body` (a raw string is sent as it is: JSON that `JSON.stringify` cannot write, such as
 * `1e309`) with a client timeout, so that a frozen API fails the caller's assertions instead of
 * hanging it. Never throws: a timeout or a connection error is an answer too.
 */
export async function postJson(
  apiUrl: string,
  path: string,
  token: string,
  body: unknown,
  timeoutMs: number,
): Promise<ApiAnswer> {
  const started = performance.now();
  try {
    const response = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, contentType, body: parsed, ms: performance.now() - started };
  } catch (err) {
    // A DOMException from another realm (jest's sandbox) is no `instanceof Error`: go by its name.
    const name = (err as { name?: unknown } | null)?.name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    return {
      status: timedOut ? 'timeout' : 'error',
      contentType: '',
      body: undefined,
      ms: performance.now() - started,
    };
  }
}

/** POSTs and returns the JSON body, or throws with the answer when the status is not `expected`. */
export async function postOrThrow(
  apiUrl: string,
  path: string,
  token: string,
  body: unknown,
  expected: number,
): Promise<Record<string, unknown>> {
  const answer = await postJson(apiUrl, path, token, body, 10_000);
  if (answer.status !== expected)
    throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body ?? {};
}
