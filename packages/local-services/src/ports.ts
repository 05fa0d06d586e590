import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** True when nothing listens on `host:port` (checked by binding it for a moment). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface FreePortOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Ports already handed out that have no listener yet. */
  exclude?: ReadonlySet<number>;
  /**
   * Pick below Linux's ephemeral range (32768–60999), free on every interface, for a server that
   * is stopped and started again on the same port: a port in the ephemeral range can be taken
   * meanwhile as the local end of any outgoing connection on the machine.
   */
  stable?: boolean;
}

const STABLE_LOW = 20_000;
const STABLE_HIGH = 32_000;

/** A port free right now: one the kernel picks, or a stable one (tests and tools start servers on it). */
export async function findFreePort(options: FreePortOptions = {}): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  const exclude = options.exclude ?? new Set<number>();
  for (let tries = 0; tries < 200; tries += 1) {
    const port = options.stable
      ? STABLE_LOW + Math.floor(Math.random() * (STABLE_HIGH - STABLE_LOW))
      : await kernelPickedPort(host);
    if (exclude.has(port)) continue;
    if (!options.stable) return port;
    if ((await isPortFree(port, host)) && (await isPortFree(port, '0.0.0.0'))) return port;
  }
  throw new Error(options.stable ? `no free port between ${STABLE_LOW} and ${STABLE_HIGH}` : 'no free port');
}

function kernelPickedPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Waits up to `timeoutMs` for the port to become free: right after a server is killed, its
 * connections linger for a few milliseconds in the kernel and still hold the port.
 */
export async function waitForFreePort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isPortFree(port, host))) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}
