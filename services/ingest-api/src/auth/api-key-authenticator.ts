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
  /** Live keys cached at most; unknown or revoked keys have a smaller cache of their own. */
  cacheMaxEntries: number;
}

/**
 * Resolves API keys to principals, caching lookups briefly so that the hot path does not query
 * Postgres per request. Keys that authenticated and keys that did not are cached apart: anyone can
 * send unknown keys, as many as they like, and they must not push live keys out (every request of
 * every organization would then query Postgres). Unknown keys get a small cache of their own, so a
 * client retrying one bad key still costs nothing. Both are keyed by the key's SHA-256, computed
 * only for strings that look like our keys, so an entry has a fixed size.
 * Requests that miss the cache together share one lookup: when an entry expires under load, one
 * query refreshes it, not one per request in flight, each slower than the last on a busy database.
 */
export class ApiKeyAuthenticator {
  /** Undefined when the TTL is 0: every request looks its key up (lru-cache reads ttl 0 as "forever"). */
  private readonly live: LRUCache<string, LiveKey> | undefined;
  private readonly refused: LRUCache<string, true> | undefined;
  /** Lookups in flight, by hash, shared by the requests that wait for them. */
  private readonly lookups = new Map<string, Lookup>();

  constructor(
    private readonly db: Kysely<Database>,
    options: AuthenticatorOptions,
  ) {
    if (options.cacheTtlMs <= 0) return;
    this.live = new LRUCache<string, LiveKey>({
      // Every entry has the same bounded size (a hash key, the stored hash and the principal's ids:
      // a few hundred bytes), so the count of entries bounds their bytes too.
      max: options.cacheMaxEntries,
      ttl: options.cacheTtlMs,
    });
    this.refused = new LRUCache<string, true>({
      max: Math.min(options.cacheMaxEntries, REFUSED_MAX_ENTRIES),
      ttl: options.cacheTtlMs,
    });
  }

  /** The principal for `key`, or undefined when the key is unknown or revoked. */
  async authenticate(key: string): Promise<Principal | undefined> {
    const known = this.fromCache(key);
    if (known !== 'not cached') return known;
    const hash = hashApiKey(key);
    if (!this.live) return principalOf(await this.lookUp(hash), hash);
    let lookup = this.lookups.get(hash);
    if (!lookup) {
      const started: Lookup = { forgotten: false, verdict: this.lookUp(hash) };
      lookup = started;
      this.lookups.set(hash, started);
      void started.verdict.then(
        (verdict) => this.settle(hash, started, verdict),
        () => this.settle(hash, started, undefined),
      );
    }
    const verdict = await lookup.verdict;
    // forget() ran during the lookup, whose answer may predate it: ask again.
    return principalOf(lookup.forgotten ? await this.lookUp(hash) : verdict, hash);
  }

  private settle(hash: string, lookup: Lookup, verdict: KeyVerdict | undefined): void {
    if (this.lookups.get(hash) === lookup) this.lookups.delete(hash);
    if (lookup.forgotten || verdict === undefined) return;
    if (verdict === 'refused') this.refused?.set(hash, true);
    else this.live?.set(hash, verdict);
  }

  /**
   * The answer for `key` when the cache holds it, without waiting: the hot path of every request
   * (an await costs each request its own promises and turns of the microtask queue).
   */
  fromCache(key: string): Principal | undefined | 'not cached' {
    if (!looksLikeApiKey(key)) return undefined;
    const hash = hashApiKey(key);
    if (this.refused?.get(hash)) return undefined;
    const verdict = this.live?.get(hash);
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
    this.live?.delete(keyHash);
    this.refused?.delete(keyHash);
    const lookup = this.lookups.get(keyHash);
    if (lookup) lookup.forgotten = true;
    this.lookups.delete(keyHash);
  }

  /** How many keys each cache holds (for tests and diagnostics). */
  cacheSizes(): { live: number; refused: number } {
    return { live: this.live?.size ?? 0, refused: this.refused?.size ?? 0 };
  }

  /** Drops every cached key of an organization (its settings changed here). */
  forgetOrganization(organizationId: string): void {
    if (!this.live) return;
    for (const [hash, verdict] of this.live.entries()) {
      if (verdict.principal.organizationId === organizationId) this.live.delete(hash);
    }
  }
}

/** A live key, with its stored hash. */
interface LiveKey {
  keyHash: Buffer;
  principal: Principal;
}

/** What a lookup found: a live key or a key to refuse (unknown or revoked). */
type KeyVerdict = LiveKey | 'refused';

/** A lookup in flight; `forgotten` when forget() ran meanwhile, so its answer is not cached. */
interface Lookup {
  forgotten: boolean;
  verdict: Promise<KeyVerdict>;
}

/** Refused keys remembered at most: enough for clients retrying a few bad keys, too few to matter. */
const REFUSED_MAX_ENTRIES = 1000;

function principalOf(verdict: KeyVerdict, hash: string): Principal | undefined {
  if (verdict === 'refused') return undefined;
  // The lookup was by hash; compare again in constant time so no timing depends on key bytes.
  return timingSafeEqual(verdict.keyHash, Buffer.from(hash, 'hex')) ? verdict.principal : undefined;
}

/** Longest wait for a key lookup: a connection that died mid-query must not hold the request forever. */
const LOOKUP_TIMEOUT_MS = 3000;
