import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runWhenProcessExits, type ExitWatchdog } from './exit-watchdog.js';
import { findOnPath } from './find-on-path.js';
import { waitForFreePort } from './ports.js';
import { isProcessAlive, processCommandLine, readPidFile, stopProcess, waitForExit } from './processes.js';
import { pingRedis } from './redis-ping.js';
import { runCommand } from './run-command.js';

export interface RedisServerOptions {
  port: number;
  /** Working folder of the server: its pidfile and, by default, its log. */
  dir: string;
  /** Server log; default `<dir>/redis.log`. */
  logFile?: string;
  /**
   * Daemonize with a pidfile so the server outlives this process (`make up`). Otherwise it is a
   * child process, killed when this process ends, even by a crash (tests).
   */
  detached?: boolean;
  /** The redis-server binary; default `findRedisServerBin()`. */
  bin?: string;
  /**
   * Persist to an append-only file in `dir` (fsync every second), as production runs: a restart
   * keeps the data. Default false: the data lives only in memory and a restart starts empty.
   */
  appendOnly?: boolean;
}

/** REDIS_SERVER_BIN, else `redis-server` on PATH; undefined when neither exists. */
export function findRedisServerBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.REDIS_SERVER_BIN || findOnPath('redis-server', env);
}

/** A `redis-server` on 127.0.0.1; throwaway by default (persistence off: its data lives only in memory). */
export class RedisServer {
  readonly port: number;
  readonly dir: string;
  readonly logFile: string;
  readonly pidFile: string;
  private readonly options: RedisServerOptions;
  private child: ChildProcess | undefined;
  private watchdog: ExitWatchdog | undefined;

  constructor(options: RedisServerOptions) {
    this.options = options;
    this.port = options.port;
    this.dir = options.dir;
    this.logFile = options.logFile ?? join(options.dir, 'redis.log');
    this.pidFile = join(options.dir, 'redis.pid');
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Pid of the running server (the child, or the daemon named in the pidfile). */
  pid(): number | undefined {
    if (this.child)
      return this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
    const pid = readPidFile(this.pidFile);
    // A stale pidfile may name a pid since reused by an unrelated process.
    return pid !== undefined && isProcessAlive(pid) && processCommandLine(pid).includes('redis')
      ? pid
      : undefined;
  }

  isRunning(): boolean {
    return this.pid() !== undefined;
  }

  /** Resolves once the server answers PING. */
  async start(): Promise<void> {
    if (this.isRunning()) throw new Error(`redis-server already runs from ${this.dir}`);
    // Otherwise the readiness PING could be answered by whatever already holds the port.
    if (!(await waitForFreePort(this.port, 2000))) throw new Error(`port ${this.port} is already in use`);
    const bin = this.options.bin ?? findRedisServerBin();
    if (!bin)
      throw new Error(
        'redis-server not found: install it (apt-get install redis-server) or set REDIS_SERVER_BIN',
      );
    mkdirSync(this.dir, { recursive: true });
    mkdirSync(dirname(this.logFile), { recursive: true });
    const args = [
      ...['--port', String(this.port), '--bind', '127.0.0.1', '--save', ''],
      ...['--appendonly', this.options.appendOnly ? 'yes' : 'no', '--appendfsync', 'everysec'],
      ...['--dir', this.dir, '--logfile', this.logFile, '--pidfile', this.pidFile],
      ...['--daemonize', this.options.detached ? 'yes' : 'no'],
    ];
    if (this.options.detached) {
      await runCommand(bin, args); // returns once the daemon has forked away
    } else {
      this.child = spawn(bin, args, { stdio: 'ignore' });
      this.child.unref(); // a forgotten stop() must not keep this process alive; the watchdog kills it
      if (this.child.pid)
        this.watchdog = runWhenProcessExits('/bin/sh', ['-c', `kill -KILL ${this.child.pid}`]);
    }
    await this.waitUntilReady();
  }

  /** SIGTERM (exits at once, after flushing the append-only file if any), SIGKILL after 10 s. No-op when not running. */
  async stop(): Promise<void> {
    const pid = this.pid();
    if (pid !== undefined) await stopProcess(pid, { graceMs: 10_000 });
    this.forgetChild();
  }

  /** A crash: SIGKILL. */
  async kill(): Promise<void> {
    const pid = this.pid();
    if (pid !== undefined) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5000);
    }
    this.forgetChild();
  }

  private forgetChild(): void {
    this.watchdog?.cancel();
    this.watchdog = undefined;
    this.child = undefined;
  }

  private async waitUntilReady(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await pingRedis(this.port))) {
      const exited = this.child && (this.child.exitCode !== null || this.child.signalCode !== null);
      if (exited || Date.now() > deadline) {
        await this.kill();
        throw new Error(
          `redis-server on port ${this.port} did not start\n--- ${this.logFile} ---\n${this.logTail()}`,
        );
      }
      await sleep(25);
    }
  }

  private logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
