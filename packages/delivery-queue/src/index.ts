export {
  CircuitBreaker,
  readCircuitState,
  resetCircuitState,
  type CircuitBreakerOptions,
  type CircuitDecision,
  type CircuitSnapshot,
  type CircuitState,
} from './circuit-breaker.js';
export {
  DEFAULT_DELIVERIES_PER_JOB,
  DELIVERY_QUEUE_NAME,
  bullPrefix,
  createDeliveryQueue,
  deliveryBatchJobs,
  deliveryIdsOf,
  deliveryJobId,
  deliveryJobs,
  isDeliveryBatch,
  type DeliveryBatchData,
  type DeliveryJobData,
  type DeliveryQueueData,
  type QueuedDelivery,
} from './delivery-queue.js';
