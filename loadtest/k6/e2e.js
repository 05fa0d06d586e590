// @ts-check
// End-to-end latency: events sent at RATE per second, each carrying the instant it was sent
// (payload.sent_at_ms); the counting sink of the benchmark receives their webhooks and computes
// receipt − sent_at_ms per event; after the load and a drain period, one VU fetches those
// latencies into the `e2e_latency` trend, whose p95 must stay under 50 ms. Every event must be
// accepted (202) and every one must have reached the sink by then: `events_missing` counts those
// that did not, and must stay 0.
// k6 and the sink must share a clock (the same machine, or synchronized ones); the count of events
// sent is this k6 instance's, so the script runs on one instance, not distributed.
//   PORT=4200 pnpm --filter @triggers/loadtest sink        # the counting sink
//   (the ingest API needs ALLOW_PRIVATE_WEBHOOK_TARGETS=true for a sink on 127.0.0.1)
//   k6 run -e BASE_URL=… -e API_KEY=trg_… -e SINK_URL=http://127.0.0.1:4200 loadtest/k6/e2e.js
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import {
  BASE_URL,
  INGEST_THRESHOLDS,
  JSON_HEADERS,
  envNumber,
  newRunId,
  postEvent,
  requireApiKey,
} from './lib/config.js';

const RATE = envNumber('RATE', 500);
const SECONDS = envNumber('SECONDS', 30);
const DRAIN_SECONDS = envNumber('DRAIN_SECONDS', 15);
/** Where the deliverer reaches the sink (what the endpoint is created with)… */
const SINK_URL = (__ENV.SINK_URL || 'http://127.0.0.1:4200').replace(/\/+$/, '');
/** …and where k6 reaches it, if different. */
const SINK_STATS_URL = (__ENV.SINK_STATS_URL || SINK_URL).replace(/\/+$/, '');

const e2eLatency = new Trend('e2e_latency', true);
const received = new Counter('events_received_by_sink');
const refused = new Counter('events_refused');
const missing = new Counter('events_missing');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    send: {
      executor: 'constant-arrival-rate',
      exec: 'send',
      rate: RATE,
      timeUnit: '1s',
      duration: `${SECONDS}s`,
      preAllocatedVUs: Math.max(10, Math.ceil(RATE / 20)),
      maxVUs: Math.max(50, Math.ceil(RATE / 2)),
    },
    collect: {
      executor: 'per-vu-iterations',
      exec: 'collect',
      vus: 1,
      iterations: 1,
      startTime: `${SECONDS + DRAIN_SECONDS}s`,
    },
  },
  thresholds: {
    ...INGEST_THRESHOLDS,
    e2e_latency: ['p(95)<50'],
    // Every event sent is accepted and arrives: none refused, none missing at the sink.
    events_refused: ['count==0'],
    events_missing: ['count==0'],
  },
};

export function setup() {
  requireApiKey();
  const reset = http.post(`${SINK_STATS_URL}/reset`);
  if (reset.status !== 204)
    throw new Error(`sink at ${SINK_STATS_URL} answered ${reset.status} to POST /reset`);
  const endpoint = http.post(
    `${BASE_URL}/api/endpoints`,
    JSON.stringify({ url: `${SINK_URL}/hooks/k6`, description: 'k6 end-to-end (deleted at teardown)' }),
    { headers: JSON_HEADERS },
  );
  if (endpoint.status !== 201)
    throw new Error(`POST /api/endpoints answered ${endpoint.status}: ${endpoint.body}`);
  return { runId: newRunId(), endpointId: /** @type {any} */ (endpoint.json()).id };
}

export function send(/** @type {{ runId: string }} */ data) {
  const response = postEvent(data.runId, { sent_at_ms: Date.now() });
  if (!check(response, { 'accepted (202)': (r) => r.status === 202 })) refused.add(1);
}

export function collect() {
  // Each iteration of `send` (all done by now; this one is still running) sent one event of its own.
  const sent = exec.instance.iterationsCompleted;
  const stats = http.get(`${SINK_STATS_URL}/stats`);
  if (stats.status !== 200) {
    // A count never taken must fail the run too, not pass with no sample.
    missing.add(sent);
    throw new Error(`sink answered ${stats.status} to GET /stats`);
  }
  /** @type {{ events: number }} */
  const counts = /** @type {any} */ (stats.json());
  received.add(counts.events);
  missing.add(Math.max(0, sent - counts.events));
  let from = 0;
  for (;;) {
    const page = http.get(`${SINK_STATS_URL}/latencies?from=${from}`);
    if (page.status !== 200) throw new Error(`sink answered ${page.status} to GET /latencies`);
    /** @type {{ latencies_ms: number[], next: number }} */
    const body = /** @type {any} */ (page.json());
    for (const latency of body.latencies_ms) e2eLatency.add(latency);
    if (body.latencies_ms.length === 0) break;
    from = body.next;
  }
}

export function teardown(/** @type {{ endpointId: string }} */ data) {
  http.del(`${BASE_URL}/api/endpoints/${data.endpointId}`, null, { headers: JSON_HEADERS });
}
