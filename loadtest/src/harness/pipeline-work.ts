import { scrapeMetrics, sumOf } from './prometheus-text.js';

/**
 * How the services split the work of the whole run (warm-up included): few events per commit and
 * per batch mean many wake-ups per event, and postponed deliveries explain a long tail.
 */
export async function pipelineWork(services: readonly { metricsOrigin: string }[]) {
  const samples = (await Promise.all(services.map((s) => scrapeMetrics(s.metricsOrigin)))).flat();
  const postponed = (reason: string) =>
    sumOf(samples, 'triggers_delivery_circuit_deferrals_total', { reason });
  return {
    groupCommits: sumOf(samples, 'triggers_group_commit_duration_seconds_count'),
    processorBatches: sumOf(samples, 'triggers_process_batch_duration_seconds_count'),
    emptyBatches: sumOf(samples, 'triggers_process_batch_size_bucket', { le: '0' }),
    postponedBusy: postponed('endpoint_busy'),
    postponedCircuit: postponed('circuit_open'),
  };
}
