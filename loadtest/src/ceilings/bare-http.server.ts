// Ceiling: the least a Node.js JSON endpoint can do: read the body, parse it, answer 202.
import { createServer } from 'node:http';
import { acceptedBody, serveForBenchmark } from './ceiling-server.js';

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      response.writeHead(400).end();
      return;
    }
    const body = acceptedBody();
    response.writeHead(202, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
});

serveForBenchmark(server);
