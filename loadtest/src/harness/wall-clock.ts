/**
 * Wall-clock ms with sub-ms precision: the clock of the client's send instants and of the sink's
 * receipts (one machine), so instants taken here compare with both.
 */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}
