import type { ApiKeysTable } from './tables/api-keys.table.js';
import type { DeliveriesTable } from './tables/deliveries.table.js';
import type { DeliveryAttemptsTable } from './tables/delivery-attempts.table.js';
import type { DeliveryHandoffsTable } from './tables/delivery-handoffs.table.js';
import type { EndpointsTable } from './tables/endpoints.table.js';
import type { EventQueueTable } from './tables/event-queue.table.js';
import type { EventTypesTable } from './tables/event-types.table.js';
import type { EventsTable } from './tables/events.table.js';
import type { OrganizationsTable } from './tables/organizations.table.js';

/** The whole schema, as kysely sees it (camelCase; the CamelCasePlugin maps to snake_case SQL). */
export interface Database {
  organizations: OrganizationsTable;
  apiKeys: ApiKeysTable;
  endpoints: EndpointsTable;
  eventTypes: EventTypesTable;
  eventQueue: EventQueueTable;
  events: EventsTable;
  deliveries: DeliveriesTable;
  deliveryAttempts: DeliveryAttemptsTable;
  deliveryHandoffs: DeliveryHandoffsTable;
}
