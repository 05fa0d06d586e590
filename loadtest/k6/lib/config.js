// @ts-check
// What every script shares: where the API is, the key, our targets as thresholds, event bodies.
// Everything comes from the environment: k6 run -e BASE_URL=… -e API_KEY=trg_… <script>
import http from 'k6/http';
import exec from 'k6/execution';

/** The ingest API, without a trailing slash. */
export const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:4000').replace(/\/+$/, '');

/** An API key of the organization under test (`pnpm triggers key create`, or the admin API). */
export const API_KEY = __ENV.API_KEY || '';

/** Fails the test at once (in setup) when the key is missing, instead of measuring 401s. */
export function requireApiKey() {
  if (API_KEY === '') throw new Error('API_KEY is not set: k6 run -e API_KEY=trg_… <script>');
}

/** A number from the environment, or `fallback`. */
export function envNumber(/** @type {string} */ name, /** @type {number} */ fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

/** Request names, so that thresholds and results can tell the endpoints apart. */
export const NAMES = {
  ingest: 'POST /api/events',
  batch: 'POST /api/events/batch',
  inbox: 'GET /api/inbox',
  ack: 'POST /api/inbox/ack',
};

/**
 * Our targets: ingest p95 under 10 ms, fewer than 0.1% failed requests. Every script starts from
 * these; some add their own (a breaking-point ramp stops the test when they fail).
 */
export const TARGETS = {
  ingestP95: 'p(95)<10',
  errorRate: 'rate<0.001',
};

/** @type {import('k6/options').Options['thresholds']} */
export const INGEST_THRESHOLDS = {
  http_req_failed: [TARGETS.errorRate],
  [`http_req_duration{name:${NAMES.ingest}}`]: [TARGETS.ingestP95],
  checks: ['rate>0.999'],
};

export const JSON_HEADERS = {
  Authorization: `Bearer ${API_KEY}`,
  'Content-Type': 'application/json',
};

/**
 * A ~300-byte event, unique per iteration in the whole test (its dedup_id names the run, the
 * scenario and the iteration), so that dedup never collapses two of them.
 * @param {string} runId from setup(), the same for every VU
 * @param {Record<string, unknown>} [extra] merged into the payload
 */
export function eventBody(runId, extra = {}) {
  const sequence = `${exec.scenario.name}-${exec.scenario.iterationInTest}`;
  return {
    type: 'order.created',
    dedup_id: `k6-${runId}-${sequence}`,
    payload: {
      order_id: `ord_${sequence}`,
      customer: { id: 'cus_8f14e45fceea167a', email: 'jane.doe@example.com' },
      amount_cents: 4999,
      currency: 'EUR',
      items: [
        { sku: 'SKU-RED-42', quantity: 2 },
        { sku: 'SKU-BLUE-7', quantity: 1 },
      ],
      shipping: { country: 'DE', method: 'standard' },
      ...extra,
    },
  };
}

/** POST /api/events with one event; 202 is the only success. */
export function postEvent(/** @type {string} */ runId, /** @type {Record<string, unknown>} */ extra = {}) {
  return http.post(`${BASE_URL}/api/events`, JSON.stringify(eventBody(runId, extra)), {
    headers: JSON_HEADERS,
    tags: { name: NAMES.ingest },
    responseCallback: http.expectedStatuses(202),
  });
}

/** A run id shared by every VU: return it from setup(). */
export function newRunId() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
