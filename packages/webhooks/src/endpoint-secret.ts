import { randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** A new endpoint signing secret: `whsec_` + base64 of 24 random bytes (the Standard Webhooks form). */
export function generateEndpointSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64');
}

/** The HMAC key inside a `whsec_` secret. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('endpoint secrets start with whsec_');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}
