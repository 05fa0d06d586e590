import { PIPELINE_SERVICES } from '@triggers/service-launcher';
import { SERVICE_READY_TIMEOUT_MS } from '../cluster/cluster.js';
import type { ServiceName } from '../cluster/service-process.js';
import { sleep } from '../sleep.js';
import type { Fault, FaultWindow } from './fault.js';

/**
 * SIGKILLs a service `kills` times at random moments, restarting it at once each time (as an
 * orchestrator would) and waiting until it is ready again (at most 90 s) before the next.
 * `service` undefined: each kill picks one of the three services at random.
 */
export function killService(service: ServiceName | undefined, kills: number, gapMs: [number, number]): Fault {
  return {
    name: `SIGKILL ${service ?? 'random service'} ×${kills}`,
    run: async ({ cluster, random, say }) => {
      const windows: FaultWindow[] = [];
      for (let i = 0; i < kills; i += 1) {
        if (i > 0) await sleep(random.between(...gapMs));
        const victim = cluster.services[service ?? random.pick(PIPELINE_SERVICES)];
        const start = Date.now();
        await victim.kill();
        await victim.start();
        // The cause (a dead process) is gone once a new one runs; its start-up is part of recovery.
        const end = Date.now();
        say(`  killed ${victim.name} (SIGKILL) and started it again`);
        // Not ready in time is the round's failure to report (it will not settle), not the suite's.
        if (!(await victim.waitReady(SERVICE_READY_TIMEOUT_MS)))
          say(
            `  ${victim.name} not ready after ${SERVICE_READY_TIMEOUT_MS / 1000} s: ${victim.lastReadiness}`,
          );
        windows.push({ start, end, what: `SIGKILL ${victim.name}` });
      }
      return windows;
    },
  };
}
