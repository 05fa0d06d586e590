// @ts-check
// A spike: BASE_RATE, then SPIKE_RATE reached within 5 s and held for SPIKE_SECONDS, then back,
// and a recovery period. Thresholds judge the whole run: the API passes if it absorbs the spike
// (202s stay durable and fast enough) and recovers; group commit should turn the burst into
// bigger INSERTs rather than a queue of small ones.
//   k6 run -e BASE_URL=… -e API_KEY=trg_… -e SPIKE_RATE=3000 loadtest/k6/ingest-spike.js
import { check } from 'k6';
import { INGEST_THRESHOLDS, envNumber, newRunId, postEvent, requireApiKey } from './lib/config.js';

const BASE_RATE = envNumber('BASE_RATE', 200);
const SPIKE_RATE = envNumber('SPIKE_RATE', 3000);
const SPIKE_SECONDS = envNumber('SPIKE_SECONDS', 30);

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      startRate: BASE_RATE,
      timeUnit: '1s',
      preAllocatedVUs: 50,
      maxVUs: Math.max(100, Math.ceil(SPIKE_RATE / 5)),
      stages: [
        { target: BASE_RATE, duration: '30s' },
        { target: SPIKE_RATE, duration: '5s' },
        { target: SPIKE_RATE, duration: `${SPIKE_SECONDS}s` },
        { target: BASE_RATE, duration: '5s' },
        { target: BASE_RATE, duration: '60s' },
      ],
    },
  },
  thresholds: INGEST_THRESHOLDS,
};

export function setup() {
  requireApiKey();
  return { runId: newRunId() };
}

export default function (/** @type {{ runId: string }} */ data) {
  const response = postEvent(data.runId);
  check(response, { 'accepted (202)': (r) => r.status === 202 });
}
