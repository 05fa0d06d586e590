export { createTestDatabase, testServerUrl, withDatabase, type TestDatabase } from './test-database.js';
export { testRedisUrl, uniqueRedisPrefix } from './test-redis.js';
export { startThrowawayPostgres, startThrowawayRedis } from './throwaway-servers.js';
