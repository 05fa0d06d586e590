// @ts-check
// Steady ingest at a constant arrival rate (open model: requests keep coming at RATE per second
// whether or not the API keeps up, as real producers do).
//   k6 run -e BASE_URL=http://127.0.0.1:4000 -e API_KEY=trg_… -e RATE=500 -e DURATION=2m loadtest/k6/ingest-steady.js
import { check } from 'k6';
import { INGEST_THRESHOLDS, envNumber, newRunId, postEvent, requireApiKey } from './lib/config.js';

const RATE = envNumber('RATE', 500);

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    steady: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION || '1m',
      preAllocatedVUs: Math.max(10, Math.ceil(RATE / 20)),
      maxVUs: Math.max(50, Math.ceil(RATE / 2)),
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
