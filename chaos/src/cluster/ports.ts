import { isPortFree } from '@triggers/local-services';

/**
 * Below Linux's ephemeral range (32768–60999 by default): the servers of this suite are stopped and
 * started again on the same port, and a port in the ephemeral range can be taken meanwhile as the
 * local end of any outgoing connection on the machine.
 */
const LOW = 20_000;
const HIGH = 32_000;

/** A free port outside the ephemeral range, different from every port in `taken`. */
export async function pickStablePort(taken: Set<number>): Promise<number> {
  for (let tries = 0; tries < 200; tries += 1) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (taken.has(port)) continue;
    if ((await isPortFree(port, '127.0.0.1')) && (await isPortFree(port, '0.0.0.0'))) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${LOW} and ${HIGH}`);
}
