import { join } from 'node:path';
import { findFreePort } from '@triggers/local-services';
import { startNodeProcess, type NodeProcess, type NodeProcessOptions } from './node-process.js';
import { waitUntilReady } from './readiness.js';
import { SERVICES, serviceDir, serviceReadyUrl, type PortVariable, type ServiceName } from './services.js';

export interface ServiceLaunchOptions extends Omit<NodeProcessOptions, 'name' | 'script' | 'cwd'> {
  /** Shown in errors; default the service's name (`processor#2` tells instances apart). */
  name?: string;
  /** The workspace root; default the one above the current folder. */
  root?: string;
}

/** A service of this workspace running as a child process. */
export interface ServiceProcess extends NodeProcess {
  service: ServiceName;
  /** Each port it listens on: as given in `env`, or a free one of 127.0.0.1 found for it. */
  ports: Partial<Record<PortVariable, number>>;
  /** Its `/readyz`. */
  readyUrl: string;
  /** Resolves once `readyUrl` answers 200; see `waitUntilReady`. */
  waitReady: (timeoutMs?: number) => Promise<void>;
}

/**
 * Starts `service` from its TypeScript source (`node --import tsx src/main.ts` in its folder; the
 * images run the compiled `dist/main.js`) with `env`.
 * A port variable it listens on and `env` leaves unset gets a free port, so that nothing collides
 * with `make up` or another copy; the caller reads it from `ports`.
 */
export async function launchService(
  service: ServiceName,
  options: ServiceLaunchOptions = {},
): Promise<ServiceProcess> {
  const info = SERVICES[service];
  const ports: Partial<Record<PortVariable, number>> = {};
  const picked = new Set<number>();
  for (const variable of info.ports) {
    const given = options.env?.[variable];
    const port = given === undefined ? await findFreePort({ exclude: picked }) : Number(given);
    picked.add(port);
    ports[variable] = port;
  }
  const dir = serviceDir(service, options.root);
  const portEnv = Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)]));
  const child = startNodeProcess({
    ...options,
    name: options.name ?? service,
    script: join(dir, info.entry),
    cwd: dir,
    env: { ...options.env, ...portEnv },
  });
  const readyUrl = serviceReadyUrl(service, ports);
  return Object.assign(child, {
    service,
    ports,
    readyUrl,
    waitReady: (timeoutMs?: number) => waitUntilReady(readyUrl, child, timeoutMs),
  });
}

/** `launchService`, then waits until it is ready; a service that does not get there is stopped. */
export async function startService(
  service: ServiceName,
  options: ServiceLaunchOptions & { readyTimeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const { readyTimeoutMs, ...launch } = options;
  const started = await launchService(service, launch);
  try {
    await started.waitReady(readyTimeoutMs);
  } catch (err) {
    await started.stop();
    throw err;
  }
  return started;
}
