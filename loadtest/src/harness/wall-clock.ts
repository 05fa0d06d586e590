// `performance.timeOrigin` is read once, when a process starts. If the machine's wall clock steps
// later (these VMs are paused and their clock corrected), every process started before the step
// disagrees with every one started after it by the size of the step: a run once saw all of its
// end-to-end latencies 9.2 s too long. Re-anchoring on Date.now() keeps the processes on one clock.
let offset = performance.timeOrigin;

/**
 * Wall-clock ms with sub-ms precision: the clock of the client's send instants and of the sink's
 * receipts (one machine), so instants taken here compare with both.
 */
export function wallClock(): number {
  const now = performance.now();
  const wall = Date.now();
  // Date.now() is whole ms: only a disagreement beyond that rounding is a step of the clock.
  if (Math.abs(offset + now - wall) > 2) offset = wall - now;
  return offset + now;
}
