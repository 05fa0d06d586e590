/**
 * Counts deliveries in flight per endpoint in this process, so that one slow endpoint can hold at
 * most `limit` of the worker's slots and healthy endpoints keep flowing.
 */
export class EndpointSlots {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly limit: number) {}

  tryAcquire(endpointId: string): boolean {
    const n = this.inFlight.get(endpointId) ?? 0;
    if (n >= this.limit) return false;
    this.inFlight.set(endpointId, n + 1);
    return true;
  }

  release(endpointId: string): void {
    const n = (this.inFlight.get(endpointId) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(endpointId);
    else this.inFlight.set(endpointId, n);
  }
}
