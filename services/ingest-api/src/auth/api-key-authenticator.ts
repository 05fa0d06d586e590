import { timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { findApiKeyOwnerByHash, type ApiKeyOwner, type Database } from '@triggers/db';
import type { Kysely } from 'kysely';
import { withTimeout } from '@triggers/runtime';
import { hashApiKey, looksLikeApiKey } from './api-keys.js';

/** Who a request acts for, once its key is known good. */
export interface Principal {
  organizationId: string;
  apiKeyId: string;
  rateLimitPerSecond: number | null;
  strictEventTypes: boolean;
}

export interface AuthenticatorOptions {
  /** How long a lookup (found or not) is trusted; bounds how late another instance sees a revocation. */
  cacheTtlMs: number;
  cacheMaxEntries: number;
}

/**
 * Resolves API keys to principals, caching lookups briefly so that the hot path does not query
 * Postgres per request. Unknown keys are cached too, so a client retrying a bad key costs nothing.
 */
export class ApiKeyAuthenticator {
  /** Undefined when the TTL is 0: every request looks its key up (lru-cache reads ttl 0 as "forever"). */
  private readonly cache: LRUCache<string, ApiKeyOwner | 'unknown'> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    options: AuthenticatorOptions,
  ) {
    this.cache =
      options.cacheTtlMs > 0
        ? new LRUCache({ max: options.cacheMaxEntries, ttl: options.cacheTtlMs })
        : undefined;
  }

  /** The principal for `key`, or undefined when the key is unknown or revoked. */
  async authenticate(key: string): Promise<Principal | undefined> {
    if (!looksLikeApiKey(key)) return undefined;
    const hash = hashApiKey(key);
    let owner = this.cache?.get(hash);
    if (owner === undefined) {
      owner =
        (await withTimeout(findApiKeyOwnerByHash(this.db, hash), LOOKUP_TIMEOUT_MS, 'API key lookup')) ??
        'unknown';
      this.cache?.set(hash, owner);
    }
    if (owner === 'unknown' || owner.revokedAt !== null) return undefined;
    // The lookup was by hash; compare again in constant time so no timing depends on key bytes.
    if (!timingSafeEqual(Buffer.from(owner.keyHash, 'hex'), Buffer.from(hash, 'hex'))) return undefined;
    return {
      organizationId: owner.organizationId,
      apiKeyId: owner.apiKeyId,
      rateLimitPerSecond: owner.rateLimitPerSecond,
      strictEventTypes: owner.strictEventTypes,
    };
  }

  /** Drops a key from this instance's cache at once (on revocation here). */
  forget(keyHash: string): void {
    this.cache?.delete(keyHash);
  }

  /** Drops every cached key of an organization (its settings changed here). */
  forgetOrganization(organizationId: string): void {
    if (!this.cache) return;
    for (const [hash, owner] of this.cache.entries()) {
      if (owner !== 'unknown' && owner.organizationId === organizationId) this.cache.delete(hash);
    }
  }
}

/** Longest wait for a key lookup: a connection that died mid-query must not hold the request forever. */
const LOOKUP_TIMEOUT_MS = 3000;
