// @ts-check
// A mixed workload: producers ingesting at INGEST_RATE per second while CONSUMERS read the inbox
// (GET /api/inbox, 100 at a time, following next_cursor) and acknowledge what they read
// (POST /api/inbox/ack). Needs the processor running: the inbox lists stored events.
//   k6 run -e BASE_URL=… -e API_KEY=trg_… -e INGEST_RATE=400 loadtest/k6/mixed.js
import { check, sleep } from 'k6';
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import {
  BASE_URL,
  JSON_HEADERS,
  NAMES,
  TARGETS,
  envNumber,
  newRunId,
  postEvent,
  requireApiKey,
} from './lib/config.js';

const INGEST_RATE = envNumber('INGEST_RATE', 400);
const CONSUMERS = envNumber('CONSUMERS', 1);
const PAGE = envNumber('PAGE', 100);
const DURATION = __ENV.DURATION || '1m';

const acknowledged = new Counter('events_acknowledged');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    ingest: {
      executor: 'constant-arrival-rate',
      exec: 'ingest',
      rate: INGEST_RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.max(10, Math.ceil(INGEST_RATE / 20)),
      maxVUs: Math.max(50, Math.ceil(INGEST_RATE / 2)),
    },
    consume: {
      executor: 'constant-vus',
      exec: 'consume',
      vus: CONSUMERS,
      duration: DURATION,
    },
  },
  thresholds: {
    http_req_failed: [TARGETS.errorRate],
    [`http_req_duration{name:${NAMES.ingest}}`]: [TARGETS.ingestP95],
    // No published target for reads; a guard that catches an inbox query gone wrong.
    [`http_req_duration{name:${NAMES.inbox}}`]: ['p(95)<50'],
    [`http_req_duration{name:${NAMES.ack}}`]: ['p(95)<50'],
    checks: ['rate>0.999'],
  },
};

export function setup() {
  requireApiKey();
  return { runId: newRunId() };
}

export function ingest(/** @type {{ runId: string }} */ data) {
  const response = postEvent(data.runId);
  check(response, { 'accepted (202)': (r) => r.status === 202 });
}

// Each consumer VU keeps its own cursor across iterations, as a real consumer would.
/** @type {string | null} */
let cursor = null;

export function consume() {
  const query = `limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const page = http.get(`${BASE_URL}/api/inbox?${query}`, {
    headers: JSON_HEADERS,
    tags: { name: NAMES.inbox },
  });
  if (!check(page, { 'inbox read (200)': (r) => r.status === 200 })) {
    sleep(1);
    return;
  }
  /** @type {{ data: { id: string }[], next_cursor: string | null }} */
  const body = /** @type {any} */ (page.json());
  cursor = body.next_cursor;
  if (body.data.length === 0) {
    sleep(0.2);
    return;
  }
  const ids = body.data.map((event) => event.id);
  const ack = http.post(`${BASE_URL}/api/inbox/ack`, JSON.stringify({ ids }), {
    headers: JSON_HEADERS,
    tags: { name: NAMES.ack },
  });
  if (check(ack, { 'acknowledged (200)': (r) => r.status === 200 })) {
    acknowledged.add(/** @type {any} */ (ack.json()).acknowledged || 0);
  }
}
