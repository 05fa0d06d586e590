import type { ValidateFunction } from 'ajv';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { findEventTypeSchemas, type Database } from '@triggers/db';
import { withTimeout, type Logger } from '@triggers/runtime';
import { compileUserSchema } from './user-schema.js';
import { maxPayloadValues } from './validation-budget.js';

/** What ingest needs to know of one (organization, type): unregistered, or registered with an optional schema. */
export type EventTypeRule =
  | { registered: false }
  | {
      registered: true;
      validate: ValidateFunction | undefined;
      /** The most values a payload may hold for its schema to be checked (validation-budget.ts). */
      maxPayloadValues: number;
    };

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
 * per TTL. A cache hit costs a map lookup. The misses of one request cost one indexed query however
 * many types it names (a batch of 1,000 new types must not take 1,000 turns of the connection pool
 * that every organization's INSERTs share), and a type already being read is not read again: an
 * expiry under load is one query, not one per request in flight.
 */
export class EventTypeValidators {
  private readonly rules: LRUCache<string, EventTypeRule> | undefined;
  private readonly inFlight = new Map<string, Lookup>();
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
        ? new LRUCache<string, EventTypeRule>({
            max: options.maxEntries,
            // Keys are an organization id and a validated type name (at most 128 characters); the
            // rule itself is a reference, its validator counted in `compiled`.
            ttl: options.ttlMs,
            maxSize: options.maxBytes ?? 16 * 1024 * 1024,
            sizeCalculation: (_rule, key) => RULE_ENTRY_BYTES + 2 * key.length,
          })
        : undefined;
  }

  /** The rules for `types` of one organization; throws when Postgres must be asked and cannot answer. */
  async rulesFor(organizationId: string, types: readonly string[]): Promise<Map<string, EventTypeRule>> {
    const unique = [...new Set(types)];
    const found = new Map<string, EventTypeRule | Promise<EventTypeRule>>();
    const missing: string[] = [];
    for (const type of unique) {
      const k = key(organizationId, type);
      const known = this.rules?.get(k) ?? this.inFlight.get(k)?.rule;
      if (known) found.set(type, known);
      else missing.push(type);
    }
    if (missing.length > 0) {
      const marks = missing.map(() => ({ stale: false }));
      const read = this.lookUp(organizationId, missing, marks);
      const lookups = missing.map((type, i): Lookup => {
        const lookup = Object.assign(marks[i]!, { rule: read.then((rules) => rules.get(type)!) });
        this.inFlight.set(key(organizationId, type), lookup);
        found.set(type, lookup.rule);
        return lookup;
      });
      const forget = () => {
        missing.forEach((type, i) => {
          const k = key(organizationId, type);
          if (this.inFlight.get(k) === lookups[i]) this.inFlight.delete(k);
        });
      };
      read.then(forget, forget);
    }
    const rules = await Promise.all(unique.map((type) => found.get(type)!));
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

  /**
   * Reads the rules of `types` in one query and caches them. A change broadcast while it ran marks
   * its lookup stale: that answer may predate the change, so those types are read again and the
   * second answer is returned, not cached.
   */
  private async lookUp(
    organizationId: string,
    types: readonly string[],
    marks: readonly { stale: boolean }[],
  ): Promise<Map<string, EventTypeRule>> {
    const rules = await this.read(organizationId, types);
    const stale = types.filter((_, i) => marks[i]!.stale);
    const reread =
      stale.length > 0 ? await this.read(organizationId, stale) : new Map<string, EventTypeRule>();
    for (const [type, rule] of rules) {
      const fresh = reread.get(type);
      if (fresh) rules.set(type, fresh);
      else this.rules?.set(key(organizationId, type), rule);
    }
    return rules;
  }

  private async read(organizationId: string, types: readonly string[]): Promise<Map<string, EventTypeRule>> {
    const rows = await withTimeout(
      findEventTypeSchemas(this.db, organizationId, types),
      this.options.lookupTimeoutMs,
      'event-type lookup',
    ).catch((err: unknown) => {
      this.log.warn({ err, organizationId }, 'event-type rules could not be read');
      throw err;
    });
    const byName = new Map(rows.map((row) => [row.name, row]));
    return new Map(
      types.map((type): [string, EventTypeRule] => {
        const row = byName.get(type);
        return [type, row ? this.registered(row) : UNREGISTERED];
      }),
    );
  }

  /** Forgets what is cached of one type (a lookup in flight for it is not cached either). */
  invalidate(organizationId: string, type: string): void {
    const k = key(organizationId, type);
    this.rules?.delete(k);
    const lookup = this.inFlight.get(k);
    if (lookup) lookup.stale = true;
    this.inFlight.delete(k);
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
    for (const lookup of this.inFlight.values()) lookup.stale = true;
    this.inFlight.clear();
  }

  private registered(row: StoredEventType): EventTypeRule {
    const compiled = row.schema ? this.compiledFor(row) : undefined;
    return {
      registered: true,
      validate: compiled?.validate,
      maxPayloadValues: compiled ? maxPayloadValues(compiled.checksPerValue) : Infinity,
    };
  }

  private compiledFor(row: StoredEventType): CompiledSchema | undefined {
    const version = `${row.id}@${row.updatedAt.getTime()}`;
    let compiled = this.compiled.get(version);
    if (!compiled) {
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
      compiled = {
        validate: result.validate,
        checksPerValue: result.checksPerValue,
        bytes: COMPILED_BASE_BYTES + 4 * JSON.stringify(row.schema ?? {}).length,
      };
      this.compiled.set(version, compiled);
    }
    return compiled;
  }
}

interface StoredEventType {
  id: string;
  schema: Record<string, unknown> | null;
  updatedAt: Date;
}

export interface CacheStats {
  entries: number;
  bytes: number;
}

interface CompiledSchema {
  validate: ValidateFunction;
  /** The most checks one payload value can cost (schema-fan-out.ts). */
  checksPerValue: number;
  /** An estimate of the memory the validator keeps alive. */
  bytes: number;
}

/** An entry of the rules cache beside its key: the LRU's own bookkeeping and the rule object. */
const RULE_ENTRY_BYTES = 200;
const COMPILED_BASE_BYTES = 16 * 1024;

/** A read of one type's rule in flight, shared by the requests that miss it meanwhile. */
interface Lookup {
  rule: Promise<EventTypeRule>;
  /** A change was broadcast while it ran. */
  stale: boolean;
}

function key(organizationId: string, type: string): string {
  return `${organizationId}\u0000${type}`;
}
