// Risk: a local Redis that cannot restart after a crash, or that a fresh script cannot stop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisServer, findFreePort, isProcessAlive } from '../src/index.js';

describe('RedisServer', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'local-services-redis-'));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  async function roundTrip(url: string): Promise<string | null> {
    const redis = new Redis(url, { maxRetriesPerRequest: 0, lazyConnect: true });
    try {
      await redis.connect();
      await redis.set('greeting', 'hello');
      return await redis.get('greeting');
    } finally {
      redis.disconnect();
    }
  }

  async function read(url: string, key: string): Promise<string | null> {
    const redis = new Redis(url, { maxRetriesPerRequest: 0, lazyConnect: true });
    try {
      await redis.connect();
      return await redis.get(key);
    } finally {
      redis.disconnect();
    }
  }

  it('serves commands as a child process and comes back after a crash', async () => {
    const server = new RedisServer({ port: await findFreePort(), dir: join(root, 'child') });
    await server.start();
    try {
      expect(await roundTrip(server.url)).toBe('hello');

      await server.kill();
      expect(server.isRunning()).toBe(false);
      await server.start();
      expect(await roundTrip(server.url)).toBe('hello');
    } finally {
      await server.stop();
    }
    expect(server.isRunning()).toBe(false);
  });

  it('keeps its data across a restart with appendOnly, and loses it without', async () => {
    const persistent = new RedisServer({
      port: await findFreePort(),
      dir: join(root, 'persistent'),
      appendOnly: true,
    });
    const throwaway = new RedisServer({ port: await findFreePort(), dir: join(root, 'throwaway') });
    for (const server of [persistent, throwaway]) {
      await server.start();
      try {
        expect(await roundTrip(server.url)).toBe('hello');
        await server.stop();
        await server.start();
        expect(await read(server.url, 'greeting')).toBe(server === persistent ? 'hello' : null);
      } finally {
        await server.stop();
      }
    }
  });

  it('runs detached with a pidfile that a fresh instance can stop', async () => {
    const options = { port: await findFreePort(), dir: join(root, 'daemon'), detached: true };
    const server = new RedisServer(options);
    await server.start();
    const pid = server.pid();
    expect(pid).toBeDefined();
    expect(await roundTrip(server.url)).toBe('hello');

    await new RedisServer(options).stop();
    expect(isProcessAlive(pid ?? 0)).toBe(false);
  });

  it('refuses a port that is already taken', async () => {
    const first = new RedisServer({ port: await findFreePort(), dir: join(root, 'first') });
    await first.start();
    try {
      const second = new RedisServer({ port: first.port, dir: join(root, 'second') });
      await expect(second.start()).rejects.toThrow(/already in use/);
    } finally {
      await first.stop();
    }
  });
});
