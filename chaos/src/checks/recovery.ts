import type { UnexpectedExit } from '../cluster/service-process.js';
import { describeState } from './system-state.js';
import type { Quiescence } from './quiescence.js';

export interface RecoveryCheck {
  /** The system settled with every service ready, and no service died by itself. */
  recovered: boolean;
  problems: string[];
}

/**
 * "The services recovered by themselves": the suite restarts only what it killed; a service that
 * exits on its own (crashing, or giving up on Postgres or Redis) fails the round, even if it is
 * restarted afterwards so that the next rounds can run.
 */
export function checkRecovery(exits: readonly UnexpectedExit[], quiescence: Quiescence): RecoveryCheck {
  const problems = exits.map(
    (e) =>
      `${e.service} exited by itself at ${new Date(e.at).toISOString()} (code ${e.code}, signal ${e.signal})`,
  );
  if (quiescence.at === undefined) problems.push(`never quiescent: ${describeState(quiescence.last)}`);
  return { recovered: problems.length === 0, problems };
}
