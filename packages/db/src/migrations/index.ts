import type { Migration } from 'kysely';
import * as createOrganizationsAndApiKeys from './2026_11_28_0600_create_organizations_and_api_keys.js';
import * as createEndpointsAndEventTypes from './2026_11_28_0610_create_endpoints_and_event_types.js';
import * as createEventQueueAndEvents from './2026_11_28_0620_create_event_queue_and_events.js';
import * as createDeliveriesAndAttempts from './2026_11_28_0630_create_deliveries_and_attempts.js';
import * as addInboxOrderAndListingIndexes from './2026_11_28_1300_add_inbox_order_and_listing_indexes.js';
import * as vacuumQueueTablesEagerly from './2026_11_28_1400_vacuum_queue_tables_eagerly.js';
import * as checkSharedParentsOncePerStatement from './2026_11_28_1500_check_shared_parents_once_per_statement.js';
import * as addReplaysToDeliveries from './2026_12_07_1910_add_replays_to_deliveries.js';
import * as normalizeEndpointUrls from './2026_12_07_1920_normalize_endpoint_urls.js';

/**
 * Every migration, by name. Listed statically rather than read from disk so that the same code runs
 * under tsx, jest and a bundled image alike. Names sort in the order they must run.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_28_0600_create_organizations_and_api_keys': createOrganizationsAndApiKeys,
  '2026_11_28_0610_create_endpoints_and_event_types': createEndpointsAndEventTypes,
  '2026_11_28_0620_create_event_queue_and_events': createEventQueueAndEvents,
  '2026_11_28_0630_create_deliveries_and_attempts': createDeliveriesAndAttempts,
  '2026_11_28_1300_add_inbox_order_and_listing_indexes': addInboxOrderAndListingIndexes,
  '2026_11_28_1400_vacuum_queue_tables_eagerly': vacuumQueueTablesEagerly,
  '2026_11_28_1500_check_shared_parents_once_per_statement': checkSharedParentsOncePerStatement,
  '2026_12_07_1910_add_replays_to_deliveries': addReplaysToDeliveries,
  '2026_12_07_1920_normalize_endpoint_urls': normalizeEndpointUrls,
};
