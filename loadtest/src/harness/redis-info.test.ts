import { parseRedisWork, redisWorkBetween } from './redis-info.js';

const INFO = [
  '# CPU',
  'used_cpu_sys:1.250000',
  'used_cpu_user:2.500000',
  'used_cpu_sys_children:9.000000',
  'used_cpu_user_children:9.000000',
  'used_cpu_sys_main_thread:1.200000',
  '',
  '# Commandstats',
  'cmdstat_evalsha:calls=120,usec=5310,usec_per_call=44.25,rejected_calls=0,failed_calls=0',
  'cmdstat_hget:calls=40,usec=80,usec_per_call=2.00,rejected_calls=0,failed_calls=0',
  'cmdstat_client|setname:calls=3,usec=3,usec_per_call=1.00,rejected_calls=0,failed_calls=0',
  '',
].join('\r\n');

describe('parseRedisWork', () => {
  it('sums the calls of every command, subcommands included', () => {
    expect(parseRedisWork(INFO)).toMatchObject({
      commands: 163,
      byCommand: { evalsha: 120, hget: 40, 'client|setname': 3 },
    });
  });

  it("counts the server's CPU once, without its snapshot forks'", () => {
    expect(parseRedisWork(INFO).cpuSeconds).toBeCloseTo(3.75);
  });

  it('reads an answer without those sections as no work', () => {
    expect(parseRedisWork('# Server\r\nredis_version:7.0.15\r\n')).toEqual({
      commands: 0,
      byCommand: {},
      cpuSeconds: 0,
    });
  });
});

describe('redisWorkBetween', () => {
  it('keeps the commands that ran between the readings, new ones included', () => {
    const before = parseRedisWork(INFO);
    const after = parseRedisWork(
      INFO.replace('calls=120', 'calls=150').replace('used_cpu_user:2.5', 'used_cpu_user:3.0') +
        'cmdstat_zadd:calls=7,usec=7,usec_per_call=1.00,rejected_calls=0,failed_calls=0\r\n',
    );
    const between = redisWorkBetween(before, after);
    expect(between.commands).toBe(37);
    expect(between.byCommand).toEqual({ evalsha: 30, zadd: 7 });
    expect(between.cpuSeconds).toBeCloseTo(0.5);
  });
});
