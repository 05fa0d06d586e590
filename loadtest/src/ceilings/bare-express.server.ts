// Ceiling: the same endpoint in express 5 with express.json(), the framework the ingest API is built on.
import { createServer } from 'node:http';
import express from 'express';
import { ingestApiConfig } from '@triggers/ingest-api/config';
import { acceptedBody, serveForBenchmark } from './ceiling-server.js';

const app = express();
app.disable('x-powered-by');
/** The ingest API's body limit, as the bench's environment sets it for the API. */
const limit = ingestApiConfig.setting('BODY_LIMIT_BYTES', process.env);
app.post('/api/events', express.json({ limit }), (_request, response) => {
  response.status(202).type('application/json').send(acceptedBody());
});

serveForBenchmark(createServer(app));
