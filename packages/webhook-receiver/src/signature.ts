import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';

/** What a signature check found: signed by one of the secrets, not, or not checked (no secrets). */
export type Verification = 'verified' | 'rejected' | 'unchecked';

/** Checks a request the way a consumer would, with the `standardwebhooks` library. */
export function verifySignature(
  secrets: readonly string[] | undefined,
  body: string,
  headers: IncomingHttpHeaders,
): Verification {
  if (secrets === undefined) return 'unchecked';
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
