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
  DELIVERY_QUEUE_NAME,
  bullPrefix,
  createDeliveryQueue,
  deliveryJobId,
  deliveryJobs,
  type DeliveryJobData,
} from './delivery-queue.js';
