import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runPaced, type PacedLoad } from './paced-load.js';

// Risk: under overload the generator holds every late request itself (a timer and a queued request
// each) and becomes the bottleneck it is meant to measure.
describe('runPaced', () => {
  let server: Server;
  let origin: string;
  let received = 0;
  /** How long the server takes to answer. */
  let answerMs = 50;

  beforeAll(async () => {
    server = createServer((req, res) => {
      received += 1;
      req.resume();
      req.on('end', () => setTimeout(() => res.writeHead(202).end('{"id":"x"}'), answerMs));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const paced = (load: Pick<PacedLoad, 'rate' | 'durationSeconds' | 'connections'> & Partial<PacedLoad>) =>
    runPaced({ origin, path: '/', headers: {}, nextBody: () => '{}', ...load });

  it('abandons, unsent, a request that waited most of its timeout for a connection', async () => {
    received = 0;
    answerMs = 1_000;
    let bodies = 0;
    // One connection, and a server slower than the 300 ms timeout: every request sent holds the
    // connection until its own timeout, while ten more come due each 100 ms.
    const result = await paced({
      nextBody: () => {
        bodies += 1;
        return '{}';
      },
      rate: 100,
      durationSeconds: 1,
      connections: 1,
      timeoutMs: 300,
    }).finally(() => {
      answerMs = 50;
    });
    expect(result.statusCounts['202'] ?? 0).toBe(0);
    expect(result.timedOut).toBe(100);
    // Those that waited 270 ms leave the line unsent: at most 1 in 3 is ever sent.
    expect(result.abandonedUnsent).toBeGreaterThanOrEqual(60);
    // Nothing, not even a body, is made for a request before a connection takes it.
    expect(bodies).toBe(100 - result.abandonedUnsent);
    expect(received).toBeLessThanOrEqual(bodies);
  });

  it('counts the wait for a free connection in the latency', async () => {
    received = 0;
    // 20 requests over 0.2 s on 2 connections at 50 ms an answer: the last leave ~0.5 s after the first.
    const result = await paced({
      rate: 100,
      durationSeconds: 0.2,
      connections: 2,
    });
    expect(result.statusCounts['202']).toBe(20);
    expect(result.latency.min).toBeGreaterThanOrEqual(45);
    expect(result.latency.max).toBeGreaterThan(250);
  });

  it('sends every request on its schedule when connections are free', async () => {
    received = 0;
    const result = await paced({
      rate: 50,
      durationSeconds: 1,
      connections: 10,
    });
    expect(result.statusCounts['202']).toBe(50);
    expect(result.errors).toBe(0);
    expect(received).toBe(50);
    expect(result.latency.p50).toBeLessThan(150);
  });
});
