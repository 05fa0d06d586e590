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
 * Requests that miss the cache together share one lookup (lru-cache's fetch): when an entry
 * expires under load, one query refreshes it, not one per request in flight, each slower than the
 * last on a busy database.
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
        ? new LRUCache({
            max: options.cacheMaxEntries,
            ttl: options.cacheTtlMs,
            fetchMethod: (hash) => this.lookUp(hash),
            // A lookup that forget() cuts short resolves to undefined instead of failing its waiters.
            allowStaleOnFetchAbort: true,
          })
        : undefined;
  }

  /** The principal for `key`, or undefined when the key is unknown or revoked. */
  async authenticate(key: string): Promise<Principal | undefined> {
    if (!looksLikeApiKey(key)) return undefined;
    const hash = hashApiKey(key);
    // undefined from the cache: forget() ran during the lookup, whose answer may predate it.
    const owner = (await this.cache?.fetch(hash)) ?? (await this.lookUp(hash));
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

  private async lookUp(hash: string): Promise<ApiKeyOwner | 'unknown'> {
    const owner = await withTimeout(
      findApiKeyOwnerByHash(this.db, hash),
      LOOKUP_TIMEOUT_MS,
      'API key lookup',
    );
    return owner ?? 'unknown';
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
