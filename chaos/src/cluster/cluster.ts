import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { findFreePort, type PostgresServer, type RedisServer } from '@triggers/local-services';
import type { RunFolder } from './run-folder.js';
import { DATABASE_NAME, startPostgres, startRedis } from './servers.js';
import { serviceEnv, type ServiceEndpoints } from './service-env.js';
import { ServiceProcess, type ServiceName, type UnexpectedExit } from './service-process.js';

/** Generous: tsx compiles each service at start, on a machine that may be busy with other work. */
export const SERVICE_READY_TIMEOUT_MS = 90_000;

/** The system under test: own Postgres and Redis, and the three services as child processes. */
export interface Cluster {
  folder: RunFolder;
  postgres: PostgresServer;
  redis: RedisServer;
  services: Record<ServiceName, ServiceProcess>;
  databaseUrl: string;
  redisUrl: string;
  apiUrl: string;
  adminToken: string;
  /** Exits nobody asked for, oldest first. Such a service is restarted after a second. */
  unexpectedExits: UnexpectedExit[];
  stop: () => Promise<void>;
}

export async function startCluster(folder: RunFolder): Promise<Cluster> {
  const taken = new Set<number>();
  // Stable ports: each server and service is started again on the same port after a fault.
  const port = async () => {
    const picked = await findFreePort({ stable: true, exclude: taken });
    taken.add(picked);
    return picked;
  };
  const postgres = await startPostgres(folder, await port());
  let redis: RedisServer | undefined;
  let all: ServiceProcess[] = [];
  let stopping = false;
  try {
    redis = await startRedis(folder, await port());
    const endpoints: ServiceEndpoints = {
      databaseUrl: postgres.url(DATABASE_NAME),
      redisUrl: redis.url,
      adminToken: randomBytes(24).toString('base64url'),
      ports: {
        api: await port(),
        ingestMetrics: await port(),
        processorMetrics: await port(),
        delivererMetrics: await port(),
      },
    };
    const unexpectedExits: UnexpectedExit[] = [];
    // As an orchestrator would (restartPolicy: Always): the exit is recorded and fails the round,
    // but the following rounds still get a whole system.
    const supervise = (exit: UnexpectedExit) => {
      unexpectedExits.push(exit);
      setTimeout(() => {
        const service = services[exit.service];
        // A start that fails shows as the service not ready, which fails the round.
        if (!stopping && !service.isAlive()) service.start().catch(() => undefined);
      }, 1000);
    };
    const make = (name: ServiceName) =>
      new ServiceProcess(
        { name, env: serviceEnv(name, endpoints), logFile: join(folder.logs, `${name}.log`) },
        supervise,
      );
    const services = {
      'ingest-api': make('ingest-api'),
      processor: make('processor'),
      deliverer: make('deliverer'),
    };
    all = Object.values(services);
    await Promise.all(all.map((service) => service.start()));
    await Promise.all(all.map((service) => waitReadyOrThrow(service)));
    const cluster: Cluster = {
      folder,
      postgres,
      redis,
      services,
      databaseUrl: endpoints.databaseUrl,
      redisUrl: redis.url,
      apiUrl: `http://127.0.0.1:${endpoints.ports.api}`,
      adminToken: endpoints.adminToken,
      unexpectedExits,
      // Services first (they hold connections to the servers), then the servers.
      stop: async () => {
        stopping = true;
        await Promise.all(all.map((service) => service.stop()));
        await redis?.stop();
        await postgres.stop();
      },
    };
    return cluster;
  } catch (err) {
    stopping = true;
    await Promise.all(all.map((service) => service.stop().catch(() => undefined)));
    await redis?.stop().catch(() => undefined);
    await postgres.stop().catch(() => undefined);
    throw err;
  }
}

/** Waits for readiness; on failure the error carries the log tail, which is what explains it. */
export async function waitReadyOrThrow(service: ServiceProcess): Promise<void> {
  if (await service.waitReady(SERVICE_READY_TIMEOUT_MS)) return;
  throw new Error(
    `${service.name} did not become ready within ${SERVICE_READY_TIMEOUT_MS / 1000} s ` +
      `(last /readyz: ${service.lastReadiness})\n--- ${service.spec.logFile} ---\n${service.logTail()}`,
  );
}
