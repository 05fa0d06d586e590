/** The work a Redis server reports having done since it started, from one `INFO cpu commandstats`. */
export interface RedisWork {
  /** Calls of every command, summed; commands a Lua script runs count as well as the EVALSHA. */
  commands: number;
  /** Calls per command name, e.g. `{ evalsha: 120, hget: 40 }`. */
  byCommand: Record<string, number>;
  /** used_cpu_user + used_cpu_sys of the server process (its forks for snapshots left out). */
  cpuSeconds: number;
}

/** Reads the `commandstats` and `cpu` sections of an INFO answer; a section missing reads as zero. */
export function parseRedisWork(info: string): RedisWork {
  const byCommand: Record<string, number> = {};
  let cpuSeconds = 0;
  for (const line of info.split(/\r?\n/)) {
    // cmdstat_evalsha:calls=120,usec=5310,usec_per_call=44.25,rejected_calls=0,failed_calls=0
    const command = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (command) {
      byCommand[command[1]!] = Number(command[2]);
      continue;
    }
    const cpu = /^used_cpu_(user|sys):([\d.]+)$/.exec(line);
    if (cpu) cpuSeconds += Number(cpu[2]);
  }
  const commands = Object.values(byCommand).reduce((sum, calls) => sum + calls, 0);
  return { commands, byCommand, cpuSeconds };
}

/** What happened between two readings: commands per name and in all, and CPU seconds. */
export function redisWorkBetween(before: RedisWork, after: RedisWork): RedisWork {
  const byCommand: Record<string, number> = {};
  for (const [name, calls] of Object.entries(after.byCommand)) {
    const diff = calls - (before.byCommand[name] ?? 0);
    if (diff > 0) byCommand[name] = diff;
  }
  return {
    commands: after.commands - before.commands,
    byCommand,
    cpuSeconds: after.cpuSeconds - before.cpuSeconds,
  };
}
