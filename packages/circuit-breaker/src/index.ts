export {
  CircuitBreaker,
  readCircuitState,
  resetCircuitState,
  type CircuitBreakerOptions,
  type CircuitDecision,
  type CircuitSnapshot,
  type CircuitState,
} from './circuit-breaker.js';
