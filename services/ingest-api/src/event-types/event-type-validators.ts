import type { ValidateFunction } from 'ajv';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { findEventTypeSchemas, type Database } from '@triggers/db';
import { withTimeout, type Logger } from '@triggers/runtime';
import { compileUserSchema } from './user-schema.js';

/** What ingest needs to know of one (organization, type): unregistered, or registered with an optional schema. */
export type EventTypeRule =
  { registered: false } | { registered: true; validate: ValidateFunction | undefined };

export interface EventTypeValidatorsOptions {
  /** How long a rule is trusted without hearing of a change (the bound when a broadcast is missed). */
  ttlMs: number;
  maxEntries: number;
  /** Bytes the cached rules may hold (keys and entries), whatever their count; 16 MiB by default. */
  maxBytes?: number;
  /** Bytes the compiled validators may hold, estimated from their schemas; 64 MiB by default. */
  maxCompiledBytes?: number;
  /** A lookup slower than this fails (503), like the INSERT it precedes: a request never hangs on it. */
  lookupTimeoutMs: number;
}

const UNREGISTERED: EventTypeRule = { registered: false };

/**
 * The ingest hot path's view of registered event types: rules cached in memory per (organization,
 * type) for a short TTL, dropped at once when a change is broadcast (see EventTypeChanges), and
 * compiled validators kept per schema version, so a schema is compiled once per instance, not once
 * per TTL. A cache hit costs a map lookup; a miss costs one indexed query, shared by every request
 * that misses the same rule meanwhile (lru-cache's fetch), so an expiry under load is one query,
 * not one per request in flight.
 */
export class EventTypeValidators {
  private readonly rules: LRUCache<string, EventTypeRule, RuleKey> | undefined;
  private readonly compiled: LRUCache<string, CompiledSchema>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: EventTypeValidatorsOptions,
    private readonly log: Logger,
  ) {
    // A compiled schema is generated code and closures. Measured (heap retained per validator):
    // 6 KiB for a 70-byte schema, 12 KiB for 2 KB, 29 KiB for 20 KB; the estimate below is above
    // each. Registration bounds a schema to 64 KiB.
    this.compiled = new LRUCache<string, CompiledSchema>({
      max: 10_000,
      maxSize: options.maxCompiledBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (entry) => entry.bytes,
    });
    this.rules =
      options.ttlMs > 0
        ? new LRUCache<string, EventTypeRule, RuleKey>({
            max: options.maxEntries,
            // Keys are an organization id and a validated type name (at most 128 characters); the
            // rule itself is a reference, its validator counted in `compiled`.
            maxSize: options.maxBytes ?? 16 * 1024 * 1024,
            sizeCalculation: (_rule, key) => RULE_ENTRY_BYTES + 2 * key.length,
            fetchMethod: (_key, _stale, { context }) => this.lookUp(context),
            // A lookup that an invalidation cuts short resolves to undefined instead of failing.
            allowStaleOnFetchAbort: true,
          })
        : undefined;
  }

  /** The rules for `types` of one organization; throws when Postgres must be asked and cannot answer. */
  async rulesFor(organizationId: string, types: readonly string[]): Promise<Map<string, EventTypeRule>> {
    const unique = [...new Set(types)];
    const rules = await Promise.all(unique.map((type) => this.ruleFor({ organizationId, type })));
    return new Map(unique.map((type, i) => [type, rules[i]!]));
  }

  /** The rules for `types` when every one is cached, without waiting (the ingest hot path); else undefined. */
  cachedRulesFor(organizationId: string, types: readonly string[]): Map<string, EventTypeRule> | undefined {
    if (!this.rules) return undefined;
    const found = new Map<string, EventTypeRule>();
    for (const type of types) {
      if (found.has(type)) continue;
      const rule = this.rules.get(key(organizationId, type));
      if (rule === undefined) return undefined;
      found.set(type, rule);
    }
    return found;
  }

  private async ruleFor(rule: RuleKey): Promise<EventTypeRule> {
    // undefined from the cache: the rule was invalidated during the lookup, whose answer may
    // predate the change; this one is read after it.
    return (
      (await this.rules?.fetch(key(rule.organizationId, rule.type), { context: rule })) ??
      (await this.lookUp(rule))
    );
  }

  private async lookUp({ organizationId, type }: RuleKey): Promise<EventTypeRule> {
    const rows = await withTimeout(
      findEventTypeSchemas(this.db, organizationId, [type]),
      this.options.lookupTimeoutMs,
      'event-type lookup',
    ).catch((err: unknown) => {
      this.log.warn({ err, organizationId }, 'event-type rules could not be read');
      throw err;
    });
    const row = rows[0];
    return row
      ? { registered: true, validate: row.schema ? this.validatorFor(row) : undefined }
      : UNREGISTERED;
  }

  /** Forgets what is cached of one type (a lookup in flight for it is not cached either). */
  invalidate(organizationId: string, type: string): void {
    this.rules?.delete(key(organizationId, type));
  }

  /** What the caches hold, in entries and (estimated) bytes, for tests and diagnostics. */
  cacheStats(): { rules: CacheStats; compiled: CacheStats } {
    return {
      rules: { entries: this.rules?.size ?? 0, bytes: this.rules?.calculatedSize ?? 0 },
      compiled: { entries: this.compiled.size, bytes: this.compiled.calculatedSize },
    };
  }

  /** Forgets every cached rule (after missing broadcasts, e.g. a lost Redis connection). */
  clear(): void {
    this.rules?.clear();
  }

  private validatorFor(row: { id: string; schema: Record<string, unknown> | null; updatedAt: Date }) {
    const version = `${row.id}@${row.updatedAt.getTime()}`;
    let validate = this.compiled.get(version)?.validate;
    if (!validate) {
      const result = compileUserSchema(row.schema ?? {}, { registered: true });
      if (!result.ok) {
        // Registration refuses such schemas; one stored anyway (older rules, manual edits) must not
        // stop the type's events, so it is skipped and reported.
        this.log.error(
          { eventTypeId: row.id, problems: result.problems },
          'stored event-type schema does not compile',
        );
        return undefined;
      }
      validate = result.validate;
      this.compiled.set(version, {
        validate,
        bytes: COMPILED_BASE_BYTES + 4 * JSON.stringify(row.schema ?? {}).length,
      });
    }
    return validate;
  }
}

export interface CacheStats {
  entries: number;
  bytes: number;
}

interface CompiledSchema {
  validate: ValidateFunction;
  /** An estimate of the memory the validator keeps alive. */
  bytes: number;
}

/** An entry of the rules cache beside its key: the LRU's own bookkeeping and the rule object. */
const RULE_ENTRY_BYTES = 200;
const COMPILED_BASE_BYTES = 16 * 1024;

interface RuleKey {
  organizationId: string;
  type: string;
}

function key(organizationId: string, type: string): string {
  return `${organizationId}\u0000${type}`;
}
