// Risk: a tool waits on the wrong port, reports a service ready that is not, or hides why it
// failed to start. Runs the real demo sink, the one service that needs no database.
import { SERVICES, SERVICE_NAMES, launchService, serviceDir, startService } from '../src/index.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

describe('the list of services', () => {
  it('names an entry point that exists for every service', () => {
    for (const service of SERVICE_NAMES) {
      expect(existsSync(join(serviceDir(service), SERVICES[service].entry))).toBe(true);
    }
  });
});

describe('startService', () => {
  it('starts a service on a free port, waits for its /readyz, and stops it cleanly', async () => {
    const sink = await startService('webhook-sink', { env: { LOG_LEVEL: 'warn' } });
    try {
      expect(sink.ports.PORT).toBeGreaterThan(0);
      expect(sink.readyUrl).toBe(`http://127.0.0.1:${sink.ports.PORT}/readyz`);
      expect((await fetch(sink.readyUrl)).status).toBe(200);
    } finally {
      expect(await sink.stop()).toEqual({ code: 0, signal: null });
    }
  }, 60_000);

  it('fails with the service output when it exits while starting', async () => {
    await expect(startService('webhook-sink', { env: { SINK_STATUS: 'not-a-number' } })).rejects.toThrow(
      /webhook-sink exited while starting\n[\s\S]*SINK_STATUS="not-a-number": must be a number/,
    );
  }, 60_000);
});

describe('launchService', () => {
  it('uses the ports it is given, and kill() is a crash', async () => {
    const first = await startService('webhook-sink');
    const port = first.ports.PORT!;
    await first.kill();
    const again = await launchService('webhook-sink', { env: { PORT: String(port) }, name: 'sink#2' });
    try {
      await again.waitReady(30_000);
      expect(again.readyUrl).toBe(`http://127.0.0.1:${port}/readyz`);
    } finally {
      expect(await again.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    }
  }, 60_000);
});
