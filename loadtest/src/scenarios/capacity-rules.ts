/** p95 of client send → sink receipt a step may have and still count as held. */
export const HELD_P95_MS = 250;

/**
 * How long after a step's last send every event of the step must have reached the sink. A
 * pipeline that keeps up has about p99 of latency in flight when the load stops; one that does
 * not has a backlog growing for the whole step, which takes seconds to clear, not milliseconds.
 */
export const STEP_GRACE_MS = 2000;

/** Share of a step's requests the ingest API must accept: shedding load is not holding it. */
export const HELD_ACCEPTED_SHARE = 0.99;

/** The fraction of bare express that every capacity search steps through (its cost is reported). */
export const TEN_PERCENT = 0.1;

export interface StepFigures {
  /** p95 of the step's events, client send → sink receipt (an event still missing counts as sent → now). */
  p95: number;
  /** Requests the step sent. */
  sent: number;
  /** Of them, answered 202. */
  accepted: number;
  /** Accepted events of the step not at the sink STEP_GRACE_MS after its last send. */
  undelivered: number;
}

/**
 * A step is held when the whole pipeline kept up with its arrival rate: p95 within HELD_P95_MS,
 * at least HELD_ACCEPTED_SHARE of its requests accepted, and no backlog left, i.e. every accepted
 * event at the sink within STEP_GRACE_MS of the last send. The reasons say what failed.
 */
export function stepVerdict(step: StepFigures): { held: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (!(step.p95 <= HELD_P95_MS)) reasons.push(`p95 ${step.p95.toFixed(0)} ms > ${HELD_P95_MS} ms`);
  if (!(step.accepted >= HELD_ACCEPTED_SHARE * step.sent))
    reasons.push(`${step.accepted} of ${step.sent} requests accepted`);
  if (step.undelivered > 0)
    reasons.push(`${step.undelivered} events not delivered ${STEP_GRACE_MS / 1000} s after the step`);
  return { held: reasons.length === 0, reasons };
}

/** The steps' arrival rates, lowest first, 10% always among them, rates rounded to whole events/s. */
export function stepRates(
  fractions: readonly number[],
  bareRate: number,
): { fraction: number; rate: number }[] {
  const unique = [...new Set([...fractions, TEN_PERCENT])].sort((a, b) => a - b);
  return unique.map((fraction) => ({ fraction, rate: Math.max(1, Math.round(fraction * bareRate)) }));
}

/**
 * Whether to run no further step: after `misses` steps in a row not held, once the 10% step has
 * run (its cost is one of the figures, so it is measured even past capacity).
 */
export function shouldStop(ran: readonly { fraction: number; held: boolean }[], misses: number): boolean {
  const tail = ran.slice(-misses);
  const missedInARow = tail.length === misses && tail.every((step) => !step.held);
  return missedInARow && ran.some((step) => step.fraction >= TEN_PERCENT);
}

/** A fraction as printed: `7.5%`. */
export function percent(fraction: number): string {
  return `${+(fraction * 100).toFixed(1)}%`;
}

/** The highest rate among the held steps; undefined when none held. */
export function capacityOf<T extends { rate: number; held: boolean }>(steps: readonly T[]): T | undefined {
  return steps
    .filter((step) => step.held)
    .reduce<T | undefined>(
      (best, step) => (best === undefined || step.rate > best.rate ? step : best),
      undefined,
    );
}
