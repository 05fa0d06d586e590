export { postJson, postOrThrow, type ApiAnswer } from './api-post.js';
export { sendPoisonAttack, type PoisonAttack, type PoisonAttackOptions } from './poison-attack.js';
export {
  poisonAnswerProblem,
  wrongPoisonAnswers,
  type AnswerSeen,
  type PoisonAnswer,
} from './poison-answers.js';
export {
  backtrackingRequest,
  BACKTRACKING_SCHEMA,
  BACKTRACKING_VALUE,
  GOOD_MARKER,
  HOSTILE_RESPONSE_BODY,
  POISON_MARKER,
  poisonRequests,
  UNSTORABLE_OCCURRED_AT,
  type PoisonExpectation,
  type PoisonRequest,
} from './poison-events.js';
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
} from '@triggers/webhook-receiver';
