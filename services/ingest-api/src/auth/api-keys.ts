import { hash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'trg_';
const KEY_PATTERN = /^trg_[A-Za-z0-9_-]{43}$/;

/** A new API key: `trg_` + 256 random bits, base64url. Shown once; only its hash is stored. */
export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key), prefix: key.slice(0, KEY_PREFIX.length + 6) };
}

/** SHA-256, hex. Keys carry 256 bits of entropy, so a fast hash is enough (no salt or KDF needed). */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** Rejects what cannot be a key before any hashing or lookup. */
export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}
