// Risk: one organization's poison (unstorable events, a backtracking schema, a receiver answering
// bytes that are not text) fails, stalls, delays or duplicates another organization's events and
// webhooks, end to end. This poison never reaches a shared statement (validation refuses the events,
// the deliverer cleans the answer first); that a bad row inside one fails only its own work is
// proved by services/ingest-api/test/row-isolation.test.ts and services/deliverer/test/poison-answers.test.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  backtrackingRequest,
  BACKTRACKING_SCHEMA,
  GOOD_MARKER,
  HOSTILE_RESPONSE_BODY,
  poisonAnswerProblem,
  poisonRequests,
  postJson,
  postOrThrow,
  sendPoisonAttack,
  startWebhookReceiver,
  wrongPoisonAnswers,
  type ApiAnswer,
  type PoisonAnswer,
  type WebhookReceiver,
} from '@triggers/testing';
import { quantile } from '../src/quantile.js';
import { startPipeline, type Pipeline } from '../src/running-pipeline.js';
import { sendVictimTraffic, type VictimPhase } from '../src/victim-traffic.js';

/** Enough requests per phase for a p99 that is not just the slowest sample (the 3rd slowest of 300). */
const REQUESTS_PER_PHASE = 300;
/** Well below what the whole pipeline holds on 2 cores, so that latency is service time, not queueing. */
const VICTIM_RATE_PER_SECOND = 40;
const VICTIM_CLIENTS = 6;
const BATCH_SIZE = 3;
/** A victim request slower than this counts as unanswered: a stalled API fails the test, not hangs it. */
const VICTIM_TIMEOUT_MS = 5000;
const VICTIM_PATHS = ['/a', '/b'];
const DRAIN_TIMEOUT_MS = 20_000;
/** Times the attacker sends its whole poison catalogue (before the backtracking payload). */
const ATTACK_ROUNDS = 2;
/**
 * The latency rule is "p99 within 2x of the same traffic without the attacker". On a quiet 2-core
 * machine the baseline p99 is a few tens of ms, which one descheduled process or GC pause doubles,
 * so the limit is never below baseline + 100 ms; on a busy one (baseline in the hundreds of ms)
 * the 2x decides. Either is far below what a tenant's regular expression costs everyone when it
 * blocks the event loop (seconds to minutes).
 */
const LATENCY_ALLOWANCE_MS = 100;

let pipeline: Pipeline | undefined;
let victimReceiver: WebhookReceiver;
let attackerReceiver: WebhookReceiver;
let victimOrganizationId: string;
let attackerOrganizationId: string;
let schemaAnswer: ApiAnswer;
let baseline: VictimPhase;
let attacked: VictimPhase;
let acceptedEventIds: string[];
let poisonAnswers: PoisonAnswer[];

beforeAll(async () => {
  victimReceiver = await startWebhookReceiver();
  attackerReceiver = await startWebhookReceiver(() => ({ status: 200, body: HOSTILE_RESPONSE_BODY }));
  pipeline = await startPipeline();
  const { apiUrl, adminToken } = pipeline;
  const organization = async (name: string) => {
    // No rate limit in the way: the attacker's poison must reach the shared paths.
    const body = { name, rate_limit_per_second: 1_000_000 };
    const { id } = await postOrThrow(apiUrl, '/admin/organizations', adminToken, body, 201);
    const keyPath = `/admin/organizations/${String(id)}/api-keys`;
    const { key } = await postOrThrow(apiUrl, keyPath, adminToken, { name }, 201);
    return { id: id as string, key: key as string };
  };
  const victim = await organization('victim');
  const attacker = await organization('attacker');
  victimOrganizationId = victim.id;
  attackerOrganizationId = attacker.id;
  for (const path of VICTIM_PATHS)
    await postOrThrow(apiUrl, '/api/endpoints', victim.key, { url: `${victimReceiver.url}${path}` }, 201);
  await postOrThrow(apiUrl, '/api/endpoints', attacker.key, { url: `${attackerReceiver.url}/hostile` }, 201);

  const victimPhase = (label: string, continueWhile?: () => boolean, requests = REQUESTS_PER_PHASE) =>
    sendVictimTraffic({
      apiUrl,
      apiKey: victim.key,
      requests,
      ratePerSecond: VICTIM_RATE_PER_SECOND,
      concurrency: VICTIM_CLIENTS,
      batchSize: BATCH_SIZE,
      label,
      timeoutMs: VICTIM_TIMEOUT_MS,
      continueWhile,
    });
  // Warm-up first, so that the baseline does not include the services' first requests.
  const warmUp = await victimPhase('warm-up', undefined, 60);
  baseline = await victimPhase('baseline');

  schemaAnswer = await postJson(
    apiUrl,
    '/api/event-types',
    attacker.key,
    { name: 'attack.backtracking', schema: BACKTRACKING_SCHEMA },
    10_000,
  );
  let attacking = true;
  const attack = sendPoisonAttack({
    apiUrl,
    apiKey: attacker.key,
    type: 'attack.event',
    rounds: ATTACK_ROUNDS,
    concurrency: 2,
    last: [backtrackingRequest('attack.backtracking', schemaAnswer.status === 201)],
  }).finally(() => (attacking = false));
  // The victim goes on for as long as the attack lasts (its p99 then has more samples, not fewer).
  attacked = await victimPhase('attacked', () => attacking);
  poisonAnswers = (await attack).answers;
  acceptedEventIds = [warmUp, baseline, attacked].flatMap((phase) => phase.acceptedEventIds);
  await waitForVictimDeliveries(DRAIN_TIMEOUT_MS);
}, 150_000);

afterAll(async () => {
  await pipeline?.stop();
  await victimReceiver?.close();
  await attackerReceiver?.close();
}, 30_000);

/** Until every accepted victim event reached every victim endpoint and no victim delivery is unfinished. */
async function waitForVictimDeliveries(timeoutMs: number): Promise<void> {
  const expected = acceptedEventIds.length * VICTIM_PATHS.length;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await pipeline!.sql<{ total: number; done: number; queued: number }[]>`
      SELECT count(*)::int AS total,
             count(*) FILTER (WHERE status = 'delivered')::int AS done,
             (SELECT count(*)::int FROM event_queue WHERE organization_id = ${victimOrganizationId}) AS queued
      FROM deliveries WHERE organization_id = ${victimOrganizationId}`;
    // More than expected when a request timed out on the client but its events were stored.
    if (row!.queued === 0 && row!.total >= expected && row!.done === row!.total) return;
    await sleep(200);
  }
}

/** `webhook-id`s received more than once, and (event, endpoint) pairs never received. */
function victimWebhooks() {
  const byId = new Map<string, number>();
  const pairs = new Set<string>();
  for (const request of victimReceiver.received) {
    const id = String(request.headers['webhook-id']);
    byId.set(id, (byId.get(id) ?? 0) + 1);
    pairs.add(`${(JSON.parse(request.body) as { id: string }).id} ${request.path}`);
  }
  const expected = acceptedEventIds.flatMap((id) => VICTIM_PATHS.map((path) => `${id} ${path}`));
  return {
    expected: expected.length,
    duplicated: [...byId].filter(([, n]) => n > 1).length,
    missing: expected.filter((pair) => !pairs.has(pair)).length,
  };
}

function statusCounts(answers: readonly ApiAnswer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of answers) counts[String(status)] = (counts[String(status)] ?? 0) + 1;
  return counts;
}

describe('an organization sending poison while another sends steady traffic', () => {
  it('answers every victim request 202 in time, never a 5xx or a timeout', () => {
    // A timeout is a failure, not a dropped sample: it shows here as a 'timeout' count.
    const answers = [...baseline.answers, ...attacked.answers];
    expect(statusCounts(answers)).toEqual({ '202': answers.length });
    expect({ baseline: baseline.stalled, attacked: attacked.stalled }).toEqual({
      baseline: false,
      attacked: false,
    });
  });

  it('delivers every webhook of the victim exactly once', () => {
    const seen = victimWebhooks();
    expect(seen.expected).toBeGreaterThan(REQUESTS_PER_PHASE);
    expect(seen).toEqual({ expected: seen.expected, duplicated: 0, missing: 0 });
  });

  it("keeps the victim's p99 latency within 2x of a run without the attacker", () => {
    const p99 = ({ answers }: VictimPhase) =>
      quantile(
        answers.map((a) => a.ms),
        0.99,
      );
    // A timed-out request's 5 s would raise the baseline's p99 (and so the limit) or hide in the
    // attacked one's: either phase with one compares nothing.
    const timeouts = ({ answers, stalled }: VictimPhase) => ({
      timedOut: answers.filter((a) => a.status === 'timeout').length,
      stalled,
    });
    expect({ baseline: timeouts(baseline), attacked: timeouts(attacked) }).toEqual({
      baseline: { timedOut: 0, stalled: false },
      attacked: { timedOut: 0, stalled: false },
    });
    const limit = Math.max(2 * p99(baseline), p99(baseline) + LATENCY_ALLOWANCE_MS);
    const measured = { baselineP99: p99(baseline), attackedP99: p99(attacked), limit };
    expect({ ...measured, withinLimit: measured.attackedP99 <= limit }).toEqual({
      ...measured,
      withinLimit: true,
    });
  });

  it('answers each poison request with its documented 4xx problem', () => {
    // Refusing the schema is a fix too: then its payload is an ordinary event.
    const schemaProblem =
      schemaAnswer.status === 201
        ? undefined
        : poisonAnswerProblem({ status: 422, code: 'invalid_schema', pointer: '/schema' }, schemaAnswer);
    expect(schemaProblem).toBeUndefined();
    expect(poisonAnswers).toHaveLength(ATTACK_ROUNDS * poisonRequests('attack.event', 0).length + 1);
    expect([...new Set(wrongPoisonAnswers(poisonAnswers))]).toEqual([]);
  });

  it('stores nothing of any poison request', async () => {
    const [row] = await pipeline!.sql<{ poison: number; good: number }[]>`
      SELECT count(*) FILTER (WHERE payload->>'marker' IS DISTINCT FROM ${GOOD_MARKER})::int AS poison,
             count(*) FILTER (WHERE payload->>'marker' = ${GOOD_MARKER})::int AS good
      FROM (SELECT payload FROM events WHERE organization_id = ${attackerOrganizationId}
            UNION ALL
            SELECT payload FROM event_queue WHERE organization_id = ${attackerOrganizationId}) AS stored`;
    // The good events mixed in are there: the query does see the attacker's rows.
    expect(row!.good).toBeGreaterThan(0);
    expect(row!.poison).toBe(0);
  });
});
