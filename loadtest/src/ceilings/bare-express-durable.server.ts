// Ceiling: bare express plus the durable write alone. Each body is parsed and committed to
// event_queue through the ingest API's own group commit and INSERT before the 202: no auth, no
// validation, no rate limit, no metrics, and no NOTIFY to the processors (the API's rides in about
// one INSERT per 2 ms). What the API costs beyond the write reads against this.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import express from 'express';
import { createDatabase, insertQueuedEvents, type QueueInsertRow } from '@triggers/db';
import { ingestApiConfig } from '@triggers/ingest-api/config';
import { GroupCommitter } from '@triggers/runtime';
import { serveForBenchmark } from './ceiling-server.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required');
/** The ingest API's settings: the bench's environment (as passed to the API) or the API's defaults. */
const setting = <K extends keyof typeof ingestApiConfig.schema.shape & string>(name: K) =>
  ingestApiConfig.setting(name, process.env);
const poolSize = setting('DB_POOL_SIZE');
const database = createDatabase({
  url: databaseUrl,
  maxConnections: poolSize,
  applicationName: 'bench-ceiling',
});
const committer = new GroupCommitter((rows: QueueInsertRow[]) => insertQueuedEvents(database.sql, rows), {
  maxRows: setting('GROUP_COMMIT_MAX_ROWS'),
  maxWaitMs: setting('GROUP_COMMIT_MAX_WAIT_MS'),
  maxConcurrentFlushes: poolSize,
  timeoutMs: setting('GROUP_COMMIT_TIMEOUT_MS'),
});
const organizationId = randomUUID();

const app = express();
app.disable('x-powered-by');
app.post('/api/events', express.json({ limit: setting('BODY_LIMIT_BYTES') }), async (request, response) => {
  const body = request.body as { type: string; payload: Record<string, unknown>; dedup_id?: string };
  const receivedAt = new Date();
  const row: QueueInsertRow = {
    // Random, like the API's ids of events with a dedup_id (the bench's bodies all have one).
    id: randomUUID(),
    organizationId,
    type: body.type,
    payload: body.payload,
    dedupId: body.dedup_id ?? null,
    occurredAt: receivedAt,
    receivedAt,
  };
  await committer.submit([row]);
  response
    .status(202)
    .type('application/json')
    .send(JSON.stringify({ id: row.id, status: 'accepted', received_at: receivedAt.toISOString() }));
});

serveForBenchmark(createServer(app));
