// @ts-check
// The breaking point: the arrival rate climbs from START_RATE to MAX_RATE over RAMP_SECONDS; the test
// stops itself (abortOnFail) once ingest p95 passes 10 ms or more than 0.1% of requests fail.
// `target_rate` (its max) is the rate reached when it broke; without an abort, it never broke
// up to MAX_RATE.
//   k6 run -e BASE_URL=… -e API_KEY=trg_… -e MAX_RATE=6000 -e RAMP_SECONDS=300 loadtest/k6/ingest-ramp.js
import { check } from 'k6';
import exec from 'k6/execution';
import { Gauge } from 'k6/metrics';
import { NAMES, TARGETS, envNumber, newRunId, postEvent, requireApiKey } from './lib/config.js';

const START_RATE = envNumber('START_RATE', 100);
const MAX_RATE = envNumber('MAX_RATE', 5000);
const RAMP_SECONDS = envNumber('RAMP_SECONDS', 300);

const targetRate = new Gauge('target_rate');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    ramp: {
      executor: 'ramping-arrival-rate',
      startRate: START_RATE,
      timeUnit: '1s',
      preAllocatedVUs: 50,
      maxVUs: Math.max(100, Math.ceil(MAX_RATE / 5)),
      stages: [{ target: MAX_RATE, duration: `${RAMP_SECONDS}s` }],
    },
  },
  thresholds: {
    // Evaluated every few seconds once 10 s of samples exist; the first failure ends the test.
    http_req_failed: [{ threshold: TARGETS.errorRate, abortOnFail: true, delayAbortEval: '10s' }],
    [`http_req_duration{name:${NAMES.ingest}}`]: [
      { threshold: TARGETS.ingestP95, abortOnFail: true, delayAbortEval: '10s' },
    ],
  },
};

export function setup() {
  requireApiKey();
  return { runId: newRunId() };
}

export default function (/** @type {{ runId: string }} */ data) {
  const elapsedSeconds = exec.instance.currentTestRunDuration / 1000;
  targetRate.add(START_RATE + (MAX_RATE - START_RATE) * Math.min(1, elapsedSeconds / RAMP_SECONDS));
  const response = postEvent(data.runId);
  check(response, { 'accepted (202)': (r) => r.status === 202 });
}
