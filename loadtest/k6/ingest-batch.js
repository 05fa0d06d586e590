// @ts-check
// Batch ingest: BATCH_RATE requests per second of BATCH_SIZE events each
// (POST /api/events/batch), at a constant arrival rate. Every item must be accepted.
//   k6 run -e BASE_URL=… -e API_KEY=trg_… -e BATCH_RATE=50 -e BATCH_SIZE=100 loadtest/k6/ingest-batch.js
import { check } from 'k6';
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
import {
  BASE_URL,
  JSON_HEADERS,
  NAMES,
  TARGETS,
  envNumber,
  eventBody,
  newRunId,
  requireApiKey,
} from './lib/config.js';

const BATCH_RATE = envNumber('BATCH_RATE', 50);
const BATCH_SIZE = envNumber('BATCH_SIZE', 100);

const itemsRejected = new Rate('batch_items_rejected');
const eventsAccepted = new Counter('events_accepted');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    batches: {
      executor: 'constant-arrival-rate',
      rate: BATCH_RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION || '1m',
      preAllocatedVUs: Math.max(10, Math.ceil(BATCH_RATE / 5)),
      maxVUs: Math.max(50, BATCH_RATE * 2),
    },
  },
  thresholds: {
    http_req_failed: [TARGETS.errorRate],
    // The same 10 ms as a single event, for a request carrying BATCH_SIZE of them.
    [`http_req_duration{name:${NAMES.batch}}`]: [TARGETS.ingestP95],
    batch_items_rejected: [TARGETS.errorRate],
    checks: ['rate>0.999'],
  },
};

export function setup() {
  requireApiKey();
  return { runId: newRunId() };
}

export default function (/** @type {{ runId: string }} */ data) {
  const events = [];
  for (let i = 0; i < BATCH_SIZE; i += 1) events.push(eventBody(data.runId, { item: i }));
  // Each item needs its own dedup_id: the iteration number is shared, so the index is added.
  for (let i = 0; i < events.length; i += 1) events[i].dedup_id += `-${i}`;
  const response = http.post(`${BASE_URL}/api/events/batch`, JSON.stringify({ events }), {
    headers: JSON_HEADERS,
    tags: { name: NAMES.batch },
    responseCallback: http.expectedStatuses(202),
  });
  /** @type {{ accepted?: number, rejected?: number }} */
  const summary =
    response.status === 202 || response.status === 207 ? /** @type {any} */ (response.json()) : {};
  const accepted = summary.accepted || 0;
  eventsAccepted.add(accepted);
  for (let i = 0; i < BATCH_SIZE; i += 1) itemsRejected.add(i >= accepted);
  check(response, { 'whole batch accepted (202)': (r) => r.status === 202 && accepted === BATCH_SIZE });
}
