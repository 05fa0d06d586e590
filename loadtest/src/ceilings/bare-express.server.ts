// Ceiling: the same endpoint in express 5 with express.json(), the framework the ingest API is built on.
import { createServer } from 'node:http';
import express from 'express';
import { acceptedBody, serveForBenchmark } from './ceiling-server.js';

const app = express();
app.disable('x-powered-by');
app.post('/api/events', express.json({ limit: '256kb' }), (_request, response) => {
  response.status(202).type('application/json').send(acceptedBody());
});

serveForBenchmark(createServer(app));
