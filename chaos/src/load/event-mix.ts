/** The webhook endpoints of the chaos organization: a path on the sink and an event-type filter. */
export interface EndpointPlan {
  path: string;
  eventTypes: string[];
}

export const ENDPOINTS: readonly EndpointPlan[] = [
  { path: '/orders', eventTypes: ['order.*'] },
  { path: '/billing', eventTypes: ['invoice.paid', 'order.refunded'] },
];

/**
 * Event types sent, with weights: some match one endpoint, one matches both, one matches none (it
 * is stored but never delivered), so the checks see every shape of fan-out. 0.9 deliveries per event.
 */
export const EVENT_TYPES: readonly { type: string; weight: number }[] = [
  { type: 'order.created', weight: 4 },
  { type: 'order.refunded', weight: 1 },
  { type: 'invoice.paid', weight: 3 },
  { type: 'audit.logged', weight: 2 },
];

/**
 * The endpoint paths an event of `type` must reach, by the filter rules of the design (empty or `*`
 * matches all; `prefix.*` matches below prefix; anything else exactly). Worked out here, not read
 * from the database, so that a processor that forgets a delivery is caught.
 */
export function matchingEndpoints(type: string, endpoints: readonly EndpointPlan[] = ENDPOINTS): string[] {
  return endpoints
    .filter(
      ({ eventTypes }) =>
        eventTypes.length === 0 ||
        eventTypes.some(
          (f) => f === '*' || f === type || (f.endsWith('.*') && type.startsWith(f.slice(0, -1))),
        ),
    )
    .map((e) => e.path);
}

/** Picks a type by weight from `r` in [0, 1). */
export function eventTypeFor(r: number): string {
  const total = EVENT_TYPES.reduce((sum, t) => sum + t.weight, 0);
  let x = r * total;
  for (const t of EVENT_TYPES) {
    x -= t.weight;
    if (x < 0) return t.type;
  }
  return EVENT_TYPES.at(-1)!.type;
}
