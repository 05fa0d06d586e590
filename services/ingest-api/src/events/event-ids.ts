import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';

/**
 * The event id. With a dedup_id it is UUIDv5 of the dedup_id in the organization's namespace, so a
 * retried POST gets the same id back and the database's unique key collapses the copies. Without
 * one it is a UUIDv7, time-ordered so that index inserts stay local. The dedup_id must be well-formed
 * text (`checkEvent` refuses lone surrogates first): UUIDv5 encodes it as UTF-8, which throws on one.
 */
export function eventIdFor(organizationId: string, dedupId: string | undefined): string {
  return dedupId === undefined ? uuidv7() : uuidv5(dedupId, organizationId);
}
