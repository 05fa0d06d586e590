// A webhook receiver for the benchmark and the k6 end-to-end script: answers 200 at once, counts
// deliveries per webhook-id (a second one is a double delivery) and remembers when each event
// first arrived. Unlike services/webhook-sink it neither verifies nor logs: it must cost nothing.
//   GET /stats            {"received","distinctWebhookIds","duplicates","events"}
//   GET /receipts         {"receipts":[[eventId, receivedAtMs], …]} (wall clock, sub-ms)
//   GET /latencies?from=N {"latencies_ms":[…],"next":M}: from bodies with payload.sent_at_ms (k6)
//   POST /reset           forgets everything
// Started by the benchmark, or by hand: `PORT=4200 pnpm --filter @triggers/loadtest sink`.
import { createWebhookReceiver, type ControlAnswer } from '@triggers/webhook-receiver';
import { serveForBenchmark } from '../ceilings/ceiling-server.js';
import { wallClock } from '../harness/wall-clock.js';
import { createReceiptLog } from './receipts.js';

const log = createReceiptLog();

function control(method: string, url: string): ControlAnswer | undefined {
  if (method !== 'GET') {
    if (url !== '/reset') return undefined; // a webhook
    log.reset();
    return { status: 204 };
  }
  if (url === '/stats') return { status: 200, json: log.stats() };
  if (url === '/receipts') return { status: 200, json: { receipts: log.receipts() } };
  if (url.startsWith('/latencies')) {
    const from = Number(new URL(url, 'http://sink').searchParams.get('from') ?? 0) || 0;
    const latencies = log.latencies(from);
    return { status: 200, json: { latencies_ms: latencies, next: from + latencies.length } };
  }
  return { status: 200, json: { status: 'ok' } };
}

const receiver = createWebhookReceiver({
  keepReceived: false,
  clock: wallClock,
  control,
  onReceived: (request) => log.record(String(request.headers['webhook-id'] ?? ''), request.body, request.at),
});

serveForBenchmark(receiver.server);
