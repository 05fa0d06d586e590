import { setTimeout as sleep } from 'node:timers/promises';
import { postJson } from './api-post.js';
import type { PoisonAnswer } from './poison-answers.js';
import { GOOD_MARKER, poisonRequests, type PoisonRequest } from './poison-events.js';

export interface PoisonAttackOptions {
  apiUrl: string;
  /** The attacking organization's key. */
  apiKey: string;
  /** The attacker's ordinary event type: its endpoint (the hostile receiver) gets these. */
  type: string;
  /** Times the whole catalogue is sent, at most (Infinity: until `endAt`). */
  rounds: number;
  /** No poison request is started after this (epoch ms); the round in progress is cut short. */
  endAt?: number;
  /** The first round's number: a new one for each attack on the same organization keeps the good items' dedup_ids new. */
  firstRound?: number;
  /** Poison requests in flight at once. */
  concurrency: number;
  /** Sent after the rounds, the good traffic still going (the backtracking payload). */
  last?: PoisonRequest[];
}

export interface PoisonAttack {
  /** Every poison request sent and the answer it got (a timeout too). */
  answers: PoisonAnswer[];
  /** Catalogue rounds started. */
  rounds: number;
  /** Good events sent meanwhile. */
  goodEvents: number;
}

const GOOD_BATCH_SIZE = 10;
const GOOD_BATCH_INTERVAL_MS = 100;
/** A request this slow counts as unanswered (the API would be stalled for everyone). */
const REQUEST_TIMEOUT_MS = 5000;

/**
 * A hostile organization: the poison catalogue round after round, `concurrency` requests at a time,
 * then the `last` requests; meanwhile paced batches of good events, each one a webhook for the
 * attacker's (hostile) receiver, so that its answers share the deliverer's batches with everyone's.
 * The pacing makes the attack hurt through what it sends, not through how much. Resolves with
 * the answer to every poison request once the good traffic stopped too.
 */
export async function sendPoisonAttack(options: PoisonAttackOptions): Promise<PoisonAttack> {
  const { apiUrl, apiKey, type, endAt = Infinity, firstRound = 0 } = options;
  const post = (request: { path: string; body: unknown; timeoutMs?: number }) =>
    postJson(apiUrl, request.path, apiKey, request.body, request.timeoutMs ?? REQUEST_TIMEOUT_MS);
  const attack: PoisonAttack = { answers: [], rounds: 0, goodEvents: 0 };
  let pending: PoisonRequest[] = [];
  const next = (): PoisonRequest | undefined => {
    if (Date.now() >= endAt) return undefined;
    if (pending.length === 0 && attack.rounds < options.rounds)
      pending = poisonRequests(type, firstRound + attack.rounds++);
    return pending.shift();
  };
  const poisoner = async () => {
    for (let request = next(); request; request = next())
      attack.answers.push({ name: request.name, expect: request.expect, answer: await post(request) });
  };
  let poisoning = true;
  const goodSender = async () => {
    for (let n = 0; poisoning; n++) {
      const events = Array.from({ length: GOOD_BATCH_SIZE }, (_, k) => ({
        type,
        dedup_id: `attacker-good-${firstRound}-${n}-${k}`,
        payload: { marker: GOOD_MARKER },
      }));
      await Promise.all([
        post({ path: '/api/events/batch', body: { events } }),
        sleep(GOOD_BATCH_INTERVAL_MS),
      ]);
      attack.goodEvents += events.length;
    }
  };
  const good = goodSender();
  try {
    await Promise.all(Array.from({ length: options.concurrency }, poisoner));
    for (const request of options.last ?? [])
      attack.answers.push({ name: request.name, expect: request.expect, answer: await post(request) });
  } finally {
    poisoning = false;
    await good;
  }
  return attack;
}
