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
  /** A lookup slower than this fails (503), like the INSERT it precedes: a request never hangs on it. */
  lookupTimeoutMs: number;
}

const UNREGISTERED: EventTypeRule = { registered: false };

/**
 * The ingest hot path's view of registered event types: rules cached in memory per (organization,
 * type) for a short TTL, dropped at once when a change is broadcast (see EventTypeChanges), and
 * compiled validators kept per schema version, so a schema is compiled once per instance, not once
 * per TTL. A cache hit costs a map lookup; a miss costs one indexed query for all of a request's
 * types.
 */
export class EventTypeValidators {
  private readonly rules: LRUCache<string, EventTypeRule> | undefined;
  private readonly compiled = new LRUCache<string, ValidateFunction>({ max: 10_000 });
  // Bumped by every invalidation: a lookup that started before one does not cache what it read.
  private generation = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: EventTypeValidatorsOptions,
    private readonly log: Logger,
  ) {
    this.rules =
      options.ttlMs > 0 ? new LRUCache({ max: options.maxEntries, ttl: options.ttlMs }) : undefined;
  }

  /** The rules for `types` of one organization; throws when Postgres must be asked and cannot answer. */
  async rulesFor(organizationId: string, types: readonly string[]): Promise<Map<string, EventTypeRule>> {
    const found = new Map<string, EventTypeRule>();
    const missing: string[] = [];
    for (const type of new Set(types)) {
      const rule = this.rules?.get(key(organizationId, type));
      if (rule) found.set(type, rule);
      else missing.push(type);
    }
    if (missing.length === 0) return found;
    const generation = this.generation;
    const rows = await withTimeout(
      findEventTypeSchemas(this.db, organizationId, missing),
      this.options.lookupTimeoutMs,
      'event-type lookup',
    ).catch((err: unknown) => {
      this.log.warn({ err, organizationId }, 'event-type rules could not be read');
      throw err;
    });
    const byName = new Map(rows.map((r) => [r.name, r]));
    for (const type of missing) {
      const row = byName.get(type);
      const rule: EventTypeRule = row
        ? { registered: true, validate: row.schema ? this.validatorFor(row) : undefined }
        : UNREGISTERED;
      found.set(type, rule);
      if (generation === this.generation) this.rules?.set(key(organizationId, type), rule);
    }
    return found;
  }

  /** Forgets what is cached of one type (or of every type of the organization). */
  invalidate(organizationId: string, type?: string): void {
    this.generation++;
    if (!this.rules) return;
    if (type !== undefined) {
      this.rules.delete(key(organizationId, type));
      return;
    }
    for (const k of this.rules.keys()) if (k.startsWith(`${organizationId}\u0000`)) this.rules.delete(k);
  }

  /** Forgets every cached rule (after missing broadcasts, e.g. a lost Redis connection). */
  clear(): void {
    this.generation++;
    this.rules?.clear();
  }

  private validatorFor(row: { id: string; schema: Record<string, unknown> | null; updatedAt: Date }) {
    const version = `${row.id}@${row.updatedAt.getTime()}`;
    let validate = this.compiled.get(version);
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
      this.compiled.set(version, validate);
    }
    return validate;
  }
}

function key(organizationId: string, type: string): string {
  return `${organizationId}\u0000${type}`;
}
