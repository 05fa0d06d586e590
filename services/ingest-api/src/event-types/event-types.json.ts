import type { EventType } from '@triggers/db';

/** Wire shape (snake_case) of a registered event type. */
export function toEventTypeJson(type: EventType) {
  return {
    name: type.name,
    description: type.description,
    schema: type.schema,
    created_at: type.createdAt.toISOString(),
    updated_at: type.updatedAt.toISOString(),
  };
}
