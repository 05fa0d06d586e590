import { timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { findApiKeyOwnerByHash, type Database } from '@triggers/db';
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
  private readonly cache: LRUCache<string, KeyVerdict> | undefined;

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
    const known = this.fromCache(key);
    if (known !== 'not cached') return known;
    const hash = hashApiKey(key);
    // undefined from the cache: forget() ran during the lookup, whose answer may predate it.
    const verdict = (await this.cache?.fetch(hash)) ?? (await this.lookUp(hash));
    return principalOf(verdict, hash);
  }

  /**
   * The answer for `key` when the cache holds it, without waiting: the hot path of every request
   * (an await costs each request its own promises and turns of the microtask queue).
   */
  fromCache(key: string): Principal | undefined | 'not cached' {
    if (!looksLikeApiKey(key)) return undefined;
    const hash = hashApiKey(key);
    const verdict = this.cache?.get(hash);
    return verdict === undefined ? 'not cached' : principalOf(verdict, hash);
  }

  private async lookUp(hash: string): Promise<KeyVerdict> {
    const owner = await withTimeout(
      findApiKeyOwnerByHash(this.db, hash),
      LOOKUP_TIMEOUT_MS,
      'API key lookup',
    );
    if (!owner || owner.revokedAt !== null) return 'refused';
    return {
      keyHash: Buffer.from(owner.keyHash, 'hex'),
      principal: {
        organizationId: owner.organizationId,
        apiKeyId: owner.apiKeyId,
        rateLimitPerSecond: owner.rateLimitPerSecond,
        strictEventTypes: owner.strictEventTypes,
      },
    };
  }

  /** Drops a key from this instance's cache at once (on revocation here). */
  forget(keyHash: string): void {
    this.cache?.delete(keyHash);
  }

  /** Drops every cached key of an organization (its settings changed here). */
  forgetOrganization(organizationId: string): void {
    if (!this.cache) return;
    for (const [hash, verdict] of this.cache.entries()) {
      if (verdict !== 'refused' && verdict.principal.organizationId === organizationId)
        this.cache.delete(hash);
    }
  }
}

/** What a lookup found: a live key (with its stored hash) or a key to refuse (unknown or revoked). */
type KeyVerdict = { keyHash: Buffer; principal: Principal } | 'refused';

function principalOf(verdict: KeyVerdict, hash: string): Principal | undefined {
  if (verdict === 'refused') return undefined;
  // The lookup was by hash; compare again in constant time so no timing depends on key bytes.
  return timingSafeEqual(verdict.keyHash, Buffer.from(hash, 'hex')) ? verdict.principal : undefined;
}

/** Longest wait for a key lookup: a connection that died mid-query must not hold the request forever. */
const LOOKUP_TIMEOUT_MS = 3000;
