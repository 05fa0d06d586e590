import { randomBytes } from 'node:crypto';
import { createApiKey } from './admin-client.js';
import { startServices, stopAll, type ServiceProcess } from './service-process.js';
import { startCountingSink, type CountingSink } from './sink.process.js';

/** Every service of the system, `instances` of each, delivering to the counting sink. */
export interface Pipeline {
  apis: ServiceProcess[];
  processors: ServiceProcess[];
  deliverers: ServiceProcess[];
  services: ServiceProcess[];
  sink: CountingSink;
  /** The ingest API instances' origins. */
  origins: string[];
  apiKey: string;
  endpointId: string;
  stop: () => Promise<void>;
}

export interface PipelineSettings {
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  instances: number;
  /** Organization name. */
  tag: string;
}

/**
 * Starts the sink and every service (in parallel: each compiles on start), then makes an
 * organization, an API key and one endpoint pointing at the sink through the public API, as a
 * user would.
 */
export async function startPipeline(settings: PipelineSettings): Promise<Pipeline> {
  const sink = await startCountingSink();
  const adminToken = randomBytes(24).toString('hex');
  const common = {
    databaseUrl: settings.databaseUrl,
    redisUrl: settings.redisUrl,
    redisKeyPrefix: settings.redisKeyPrefix,
    // The sink is on 127.0.0.1, which production refuses.
    env: { ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' },
  };
  const started = await Promise.allSettled([
    startServices('ingest-api', settings.instances, { ...common, adminToken }),
    startServices('processor', settings.instances, common),
    startServices('deliverer', settings.instances, common),
  ]);
  const services = started.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
  const stop = async () => {
    // Producers first, so that nothing is left half-handed-over when the consumers stop.
    await stopAll(services.filter((service) => service.service === 'ingest-api'));
    await stopAll(services.filter((service) => service.service === 'processor'));
    await stopAll(services.filter((service) => service.service === 'deliverer'));
    await sink.stop();
  };
  const failed = started.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await stop();
    throw failed.reason;
  }
  const [apis, processors, deliverers] = started.map((result) =>
    result.status === 'fulfilled' ? result.value : [],
  ) as [ServiceProcess[], ServiceProcess[], ServiceProcess[]];
  try {
    const origins = apis.map((api) => api.origin!);
    const apiKey = await createApiKey(origins[0]!, adminToken, settings.tag);
    const response = await fetch(`${origins[0]}/api/endpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${sink.origin}/hooks/bench`, description: 'benchmark sink' }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (response.status !== 201)
      throw new Error(`POST /api/endpoints answered ${response.status}: ${text.slice(0, 500)}`);
    const endpointId = (JSON.parse(text) as { id: string }).id;
    return { apis, processors, deliverers, services, sink, origins, apiKey, endpointId, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The `id` of a `POST /api/events` answer, if it has one. */
export function acceptedIdOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
