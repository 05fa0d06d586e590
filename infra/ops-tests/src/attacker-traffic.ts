import { setTimeout as sleep } from 'node:timers/promises';
import {
  BACKTRACKING_VALUE,
  GOOD_MARKER,
  POISON_MARKER,
  poisonRequests,
  type PoisonExpectation,
  type PoisonRequest,
} from '@triggers/testing';
import { postJson, type ApiAnswer } from './api-call.js';

export interface AttackerOptions {
  apiUrl: string;
  apiKey: string;
  /** The attacker's ordinary event type: its endpoint (the hostile receiver) gets these. */
  type: string;
  /** Times the whole poison catalogue is sent before the backtracking payload. */
  rounds: number;
  /** Poison requests in flight at once: more chances to share a group-commit INSERT with the victim. */
  concurrency: number;
  /** The type registered with the backtracking schema. */
  backtrackingType: string;
  /** Whether that schema was taken (else the backtracking payload is just an event without a schema). */
  backtrackingSchemaTaken: boolean;
}

export interface PoisonAnswer {
  name: string;
  expect: PoisonExpectation;
  answer: ApiAnswer;
}

const GOOD_BATCH_SIZE = 10;
const GOOD_BATCH_INTERVAL_MS = 100;
/** A poison request this slow counts as unanswered (the API would be stalled for everyone). */
const POISON_TIMEOUT_MS = 5000;
/** The backtracking payload's answer is not awaited longer: on a backtracking engine it takes minutes. */
const BACKTRACKING_TIMEOUT_MS = 2000;

/**
 * A hostile organization: the whole poison catalogue `rounds` times, meanwhile good events (each
 * one a webhook for the hostile receiver, so that its answers share the deliverer's batches with
 * everyone's), then the payload that makes the backtracking schema's pattern run for minutes.
 * Returns the answer to every poison request.
 */
export async function sendAttackerTraffic(options: AttackerOptions): Promise<PoisonAnswer[]> {
  const answers: PoisonAnswer[] = [];
  const post = (path: string, body: unknown, timeoutMs = POISON_TIMEOUT_MS) =>
    postJson(options.apiUrl, path, options.apiKey, body, timeoutMs);
  const queue: PoisonRequest[] = Array.from({ length: options.rounds }, (_, round) =>
    poisonRequests(options.type, round),
  ).flat();
  let poisoning = true;
  const poisoner = async () => {
    for (let request = queue.shift(); request; request = queue.shift())
      answers.push({ ...request, answer: await post(request.path, request.body) });
  };
  // Paced batches: many webhooks for the hostile receiver from few requests, so that the attack
  // hurts through what it sends, not through how much (the victim's latency is compared with a run
  // without it).
  const goodSender = async () => {
    for (let n = 0; poisoning; n++) {
      const events = Array.from({ length: GOOD_BATCH_SIZE }, (_, k) => ({
        type: options.type,
        dedup_id: `attacker-good-${n}-${k}`,
        payload: { marker: GOOD_MARKER },
      }));
      await Promise.all([post('/api/events/batch', { events }), sleep(GOOD_BATCH_INTERVAL_MS)]);
    }
  };
  const good = goodSender();
  await Promise.all(Array.from({ length: options.concurrency }, poisoner));

  const answer = await post(
    '/api/events',
    {
      type: options.backtrackingType,
      payload: {
        marker: options.backtrackingSchemaTaken ? POISON_MARKER : GOOD_MARKER,
        s: BACKTRACKING_VALUE,
      },
    },
    BACKTRACKING_TIMEOUT_MS,
  );
  poisoning = false;
  // Refused by the schema (in linear time) when it was taken; an ordinary event otherwise.
  const expect: PoisonExpectation = options.backtrackingSchemaTaken
    ? { status: 422, code: 'validation_failed', pointer: '/payload/s' }
    : { status: 202, rejected: [] };
  answers.push({ name: 'payload matching the backtracking pattern', expect, answer });
  await good;
  return answers;
}
