import type { PoisonAnsweredCheck } from '../checks/poison-answered.js';
import type { Cluster } from '../cluster/cluster.js';
import type { Sink } from '../sink/sink-process.js';
import type { Random } from '../random.js';

/** When a fault disturbed the system: from its start until its cause was removed. */
export interface FaultWindow {
  start: number;
  end: number;
  what: string;
}

export interface FaultContext {
  cluster: Cluster;
  sink: Sink;
  random: Random;
  /** One progress line. */
  say: (line: string) => void;
}

/** One kind of trouble, injected while the load runs. */
export interface Fault {
  name: string;
  /**
   * Trouble made by another organization, not a failure of the system: the load must not notice
   * it (no 5xx answers).
   */
  neighbourOnly?: boolean;
  /** Injects the fault and removes its cause again; resolves once the cause is gone. */
  run: (context: FaultContext) => Promise<FaultWindow[]>;
  /**
   * How the API answered the fault's own poison requests in the run just ended: a wrong answer
   * fails the round like a 5xx to the load does.
   */
  poisonAnswered?: () => PoisonAnsweredCheck;
  /** Releases what the fault keeps for the rest of the run (a receiver still owed deliveries). */
  close?: () => Promise<void>;
}
