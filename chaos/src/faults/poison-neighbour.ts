import {
  GOOD_MARKER,
  HOSTILE_RESPONSE_BODY,
  poisonAnswerProblem,
  poisonRequests,
  startWebhookReceiver,
  type WebhookReceiver,
} from '@triggers/testing';
import { sleep } from '../sleep.js';
import type { Fault, FaultContext } from './fault.js';

const ATTACK_TYPE = 'attack.event';
/** Poison requests in flight at once, each a chance to share a group-commit INSERT with the load. */
const POISON_CONCURRENCY = 2;
/** Good events for the hostile receiver: batches of this many, one every interval. */
const GOOD_BATCH = { size: 10, intervalMs: 100 };
const REQUEST_TIMEOUT_MS = 5000;

interface Attacker {
  apiKey: string;
  receiver: WebhookReceiver;
}

/**
 * Another organization sends poison for `durationMs` while the load runs: the shared poison
 * catalogue (timestamps Date or Postgres cannot hold, NUL and lone surrogates in every field,
 * numbers JSON cannot carry, batches mixing one poison item with good ones), and good events whose
 * webhooks go to its own receiver, which answers 200 with NUL bytes and invalid UTF-8, so that
 * its attempts share the deliverer's batches with the load's. Nothing of the system is broken, so
 * the round has no fault window: no duplicate of the load is excused by it, and the load must see
 * no 5xx. The attacker's receiver stays up until the run ends (its deliveries must finish for the
 * system to be quiescent).
 */
export function poisonNeighbour(durationMs: number): Fault {
  let attacker: Attacker | undefined;
  let rounds = 0;
  return {
    name: `another organization sends poison ${durationMs / 1000} s`,
    neighbourOnly: true,
    run: async (context) => {
      attacker ??= await createAttacker(context);
      const { apiUrl } = context.cluster;
      const post = (path: string, body: string) => postRaw(apiUrl, attacker!.apiKey, path, body);
      const end = Date.now() + durationMs;
      const queue = () => poisonRequests(ATTACK_TYPE, rounds++);
      let pending = queue();
      const wrong: string[] = [];
      let poisonSent = 0;
      const poisoner = async () => {
        while (Date.now() < end) {
          if (pending.length === 0) pending = queue();
          const request = pending.shift()!;
          const answer = await post(request.path, request.body);
          poisonSent += 1;
          const problem = poisonAnswerProblem(request.expect, answer);
          if (problem) wrong.push(`${request.name}: ${problem}`);
        }
      };
      let goodSent = 0;
      const goodSender = async () => {
        for (let n = 0; Date.now() < end; n++) {
          const events = Array.from({ length: GOOD_BATCH.size }, (_, k) => ({
            type: ATTACK_TYPE,
            dedup_id: `good-${rounds}-${n}-${k}`,
            payload: { marker: GOOD_MARKER },
          }));
          await Promise.all([
            post('/api/events/batch', JSON.stringify({ events })),
            sleep(GOOD_BATCH.intervalMs),
          ]);
          goodSent += events.length;
        }
      };
      context.say('  attacker: poison and a hostile receiver');
      await Promise.all([goodSender(), ...Array.from({ length: POISON_CONCURRENCY }, poisoner)]);
      context.say(
        `  attacker: ${poisonSent} poison requests (${wrong.length} not answered as documented` +
          `${wrong.length > 0 ? `, e.g. ${wrong[0]!.slice(0, 200)}` : ''}), ${goodSent} good events`,
      );
      return [];
    },
    close: async () => {
      await attacker?.receiver.close();
    },
  };
}

async function createAttacker({ cluster }: FaultContext): Promise<Attacker> {
  const admin = (path: string, body: unknown) =>
    postJsonOrThrow(cluster.apiUrl, cluster.adminToken, path, body);
  const organization = await admin('/admin/organizations', {
    name: 'chaos attacker',
    rate_limit_per_second: 1_000_000,
  });
  const { key } = await admin(`/admin/organizations/${organization.id}/api-keys`, { name: 'attacker' });
  const receiver = await startWebhookReceiver(() => ({ status: 200, body: HOSTILE_RESPONSE_BODY }));
  await postJsonOrThrow(cluster.apiUrl, key!, '/api/endpoints', { url: `${receiver.url}/hostile` });
  return { apiKey: key!, receiver };
}

async function postRaw(apiUrl: string, token: string, path: string, body: string) {
  try {
    const response = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: parsed };
  } catch (err) {
    return { status: `no answer (${(err as { name?: string }).name})`, contentType: '', body: undefined };
  }
}

async function postJsonOrThrow(
  apiUrl: string,
  token: string,
  path: string,
  body: unknown,
): Promise<Record<string, string>> {
  const answer = await postRaw(apiUrl, token, path, JSON.stringify(body));
  if (answer.status !== 201) throw new Error(`POST ${path} answered ${answer.status}`);
  return answer.body as Record<string, string>;
}
