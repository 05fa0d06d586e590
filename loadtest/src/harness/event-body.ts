/**
 * Makes ~300-byte `POST /api/events` bodies, each unique: its own `dedup_id` (so that no two
 * collapse into one event and every 202 carries a distinct id) and its own order number.
 */
export function createEventBodies(tag: string): () => string {
  let sequence = 0;
  return () => {
    sequence += 1;
    return JSON.stringify({
      type: 'order.created',
      dedup_id: `${tag}-${sequence}`,
      payload: {
        order_id: `ord_${sequence}`,
        customer: { id: 'cus_8f14e45fceea167a', email: 'jane.doe@example.com' },
        amount_cents: 4999 + (sequence % 100),
        currency: 'EUR',
        items: [
          { sku: 'SKU-RED-42', quantity: 2 },
          { sku: 'SKU-BLUE-7', quantity: 1 },
        ],
        shipping: { country: 'DE', method: 'standard' },
      },
    });
  };
}
