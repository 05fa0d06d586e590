import type { Fault } from './fault.js';

/** The control round: the same load and checks with nothing going wrong. */
export function noFault(): Fault {
  return { name: 'none (baseline)', run: async () => [] };
}
