// A webhook receiver for the benchmark and the k6 end-to-end script: answers 200 at once, counts
// deliveries per webhook-id (a second one is a double delivery) and remembers when each event
// first arrived. Unlike services/webhook-sink it neither verifies nor logs: it must cost nothing.
//   GET /stats            {"received","distinctWebhookIds","duplicates","events"}
//   GET /receipts         {"receipts":[[eventId, receivedAtMs], …]} (wall clock, sub-ms)
//   GET /latencies?from=N {"latencies_ms":[…],"next":M}: from bodies with payload.sent_at_ms (k6)
//   POST /reset           forgets everything
// Started by the benchmark, or by hand: `PORT=4200 pnpm --filter @triggers/loadtest sink`.
import { createServer } from 'node:http';
import { serveForBenchmark } from '../ceilings/ceiling-server.js';
import { wallClock } from '../harness/wall-clock.js';
import { createReceiptLog } from './receipts.js';

const log = createReceiptLog();
const json = (body: unknown) => JSON.stringify(body);

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  if (request.method === 'GET') {
    let body: string;
    if (url === '/stats') body = json(log.stats());
    else if (url === '/receipts') body = json({ receipts: log.receipts() });
    else if (url.startsWith('/latencies')) {
      const from = Number(new URL(url, 'http://sink').searchParams.get('from') ?? 0) || 0;
      const latencies = log.latencies(from);
      body = json({ latencies_ms: latencies, next: from + latencies.length });
    } else body = '{"status":"ok"}';
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return;
  }
  if (url === '/reset') {
    log.reset();
    response.writeHead(204).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    // Taken before anything else, as the time the whole webhook had arrived.
    const at = wallClock();
    response.writeHead(200).end();
    log.record(String(request.headers['webhook-id'] ?? ''), Buffer.concat(chunks).toString('utf8'), at);
  });
});

serveForBenchmark(server);
