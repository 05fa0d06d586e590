import {
  HOSTILE_RESPONSE_BODY,
  postOrThrow,
  sendPoisonAttack,
  startWebhookReceiver,
  type WebhookReceiver,
} from '@triggers/testing';
import { checkPoisonAnswered, type PoisonAnsweredCheck } from '../checks/poison-answered.js';
import type { Fault, FaultContext } from './fault.js';

const ATTACK_TYPE = 'attack.event';
/** Poison requests in flight at once. */
const POISON_CONCURRENCY = 2;

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
 * the round has no fault window: no duplicate of the load is excused by it, the load must see
 * no 5xx, and every poison request must get its documented answer. The attacker's receiver stays
 * up until the run ends (its deliveries must finish for the system to be quiescent).
 */
export function poisonNeighbour(durationMs: number): Fault {
  let attacker: Attacker | undefined;
  let rounds = 0;
  let answered: PoisonAnsweredCheck | undefined;
  return {
    name: `another organization sends poison ${durationMs / 1000} s`,
    neighbourOnly: true,
    run: async (context) => {
      attacker ??= await createAttacker(context);
      context.say('  attacker: poison and a hostile receiver');
      const attack = await sendPoisonAttack({
        apiUrl: context.cluster.apiUrl,
        apiKey: attacker.apiKey,
        type: ATTACK_TYPE,
        rounds: Infinity,
        endAt: Date.now() + durationMs,
        firstRound: rounds,
        concurrency: POISON_CONCURRENCY,
      });
      rounds += attack.rounds;
      answered = checkPoisonAnswered(attack.answers);
      context.say(
        `  attacker: ${answered.sent} poison requests (${answered.wrong} not answered as documented),` +
          ` ${attack.goodEvents} good events`,
      );
      return [];
    },
    // Before its first run the attacker sent nothing: the round fails rather than passes blind.
    poisonAnswered: () => answered ?? { sent: 0, wrong: 0, samples: [] },
    close: async () => {
      await attacker?.receiver.close();
    },
  };
}

async function createAttacker({ cluster }: FaultContext): Promise<Attacker> {
  const admin = (path: string, body: unknown) =>
    postOrThrow(cluster.apiUrl, path, cluster.adminToken, body, 201);
  const organization = await admin('/admin/organizations', {
    name: 'chaos attacker',
    rate_limit_per_second: 1_000_000,
  });
  const { key } = await admin(`/admin/organizations/${String(organization.id)}/api-keys`, {
    name: 'attacker',
  });
  const apiKey = String(key);
  const receiver = await startWebhookReceiver(() => ({ status: 200, body: HOSTILE_RESPONSE_BODY }));
  await postOrThrow(cluster.apiUrl, '/api/endpoints', apiKey, { url: `${receiver.url}/hostile` }, 201);
  return { apiKey, receiver };
}
