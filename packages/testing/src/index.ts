export { queueRow } from './queue-rows.js';
export { deleteRedisKeys } from './redis-keys.js';
export { createTestDatabase, testServerUrl, withDatabase, type TestDatabase } from './test-database.js';
export { testRedisUrl, uniqueRedisPrefix } from './test-redis.js';
export { startThrowawayPostgres, startThrowawayRedis } from './throwaway-servers.js';
export {
  startWebhookReceiver,
  type ReceivedWebhook,
  type ReceiverAnswer,
  type WebhookReceiver,
} from './webhook-receiver.js';
