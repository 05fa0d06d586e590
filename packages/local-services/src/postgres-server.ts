import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { runWhenProcessExits, type ExitWatchdog } from './exit-watchdog.js';
import { findPostgresBinDir } from './postgres-binaries.js';
import { binDirUsableBy, postgresRunAs, userCan } from './postgres-os-user.js';
import { childPids, isProcessAlive, readPidFile, waitForExit } from './processes.js';
import { runCommand, type RunAs } from './run-command.js';

/** Settings file written before each start; postgresql.conf includes it, so pg_ctl -o (a shell string) is not needed. */
const CONFIG_FILE = 'local-services.conf';

export interface PostgresServerOptions {
  /** Cluster folder; initdb fills it on the first start. */
  dataDir: string;
  port: number;
  /** Server log; default `<dataDir>/postgres.log`. */
  logFile?: string;
  /** Folder of initdb, pg_ctl and postgres; default `findPostgresBinDir()`. */
  binDir?: string;
  /** Extra server settings, e.g. `{ fsync: 'off' }` for throwaway test clusters. */
  settings?: Record<string, string | number>;
  /**
   * Keep running after this process exits (`make up`). pg_ctl always daemonizes the postmaster, so
   * without this a watchdog stops it when this process ends: a test run that dies leaves no server.
   */
  detached?: boolean;
}

/** A real Postgres cluster on 127.0.0.1 (trust auth, superuser `postgres`), driven by initdb and pg_ctl. */
export class PostgresServer {
  readonly dataDir: string;
  readonly port: number;
  readonly logFile: string;
  private readonly options: PostgresServerOptions;
  private watchdog: ExitWatchdog | undefined;
  private runAsCache: { value: RunAs | undefined } | undefined;
  private binDirCache: string | undefined;

  constructor(options: PostgresServerOptions) {
    this.options = options;
    this.dataDir = options.dataDir;
    this.port = options.port;
    this.logFile = options.logFile ?? join(options.dataDir, 'postgres.log');
  }

  /** Connection URL for `database` (default the `postgres` database, which always exists). */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  /** Postmaster pid from postmaster.pid, when that process is alive. */
  pid(): number | undefined {
    const pid = readPidFile(join(this.dataDir, 'postmaster.pid'));
    return pid !== undefined && isProcessAlive(pid) ? pid : undefined;
  }

  isRunning(): boolean {
    return this.pid() !== undefined;
  }

  /** Creates the cluster unless the data folder already holds one. */
  async init(): Promise<void> {
    if (existsSync(join(this.dataDir, 'PG_VERSION'))) return;
    const runAs = this.runAs();
    // Only the data folder itself is private: a recursive mkdir would make its new parents 0700 too,
    // shutting out the postgres OS user when running as root.
    mkdirSync(dirname(this.dataDir), { recursive: true });
    if (!existsSync(this.dataDir)) mkdirSync(this.dataDir, { mode: 0o700 });
    if (runAs) {
      chownSync(this.dataDir, runAs.uid, runAs.gid);
      if (!userCan(runAs, '-w', this.dataDir)) {
        throw new Error(
          `the postgres OS user cannot write ${this.dataDir}: choose a data folder outside private homes`,
        );
      }
    }
    const args = ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'];
    await runCommand(this.bin('initdb'), args, runAs);
    appendFileSync(join(this.dataDir, 'postgresql.conf'), `\ninclude_if_exists = '${CONFIG_FILE}'\n`);
  }

  /** initdb when needed, then `pg_ctl -w start`; resolves once the server accepts connections. */
  async start(): Promise<void> {
    if (this.isRunning()) throw new Error(`Postgres already runs on ${this.dataDir}`);
    await this.init();
    this.removeStaleLockFiles();
    this.writeConfig();
    this.prepareLogFile();
    try {
      await this.ctl(['start', '-w', '-t', '60', '-l', this.logFile]);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- ${this.logFile} ---\n${this.logTail()}`);
    }
    if (!this.options.detached) {
      this.watchdog = runWhenProcessExits(
        this.bin('pg_ctl'),
        ['stop', '-m', 'immediate', '-D', this.dataDir],
        this.runAs(),
      );
    }
  }

  /** Fast shutdown: disconnects clients, checkpoints, exits. No-op when not running. */
  async stop(): Promise<void> {
    this.cancelWatchdog();
    if (!this.isRunning()) return;
    await this.ctl(['stop', '-m', 'fast', '-w', '-t', '60']);
  }

  /** A crash: SIGKILL the postmaster, then wait for its children to notice and exit. */
  async kill(): Promise<void> {
    this.cancelWatchdog();
    const pid = this.pid();
    if (pid === undefined) return;
    const children = childPids(pid);
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 5000);
    // Backends left attached to the old shared memory would make the next start refuse to run.
    if (!(await waitForExit(children, 5000))) {
      for (const child of children.filter(isProcessAlive)) process.kill(child, 'SIGKILL');
      await waitForExit(children, 5000);
    }
  }

  /**
   * A killed postmaster stays a zombie until PID 1 reaps it (seconds in some containers, never in
   * others), and Postgres takes the zombie's pid in its lock files for a live server and refuses to
   * start. isRunning() already said no process of the cluster lives, so the locks are stale.
   */
  private removeStaleLockFiles(): void {
    const pid = readPidFile(join(this.dataDir, 'postmaster.pid'));
    if (pid === undefined || !isSignalable(pid)) return;
    const locks = readdirSync(this.dataDir).filter((name) => /^\.s\.PGSQL\.\d+\.lock$/.test(name));
    for (const name of ['postmaster.pid', ...locks]) rmSync(join(this.dataDir, name), { force: true });
  }

  private writeConfig(): void {
    const settings: Record<string, string | number> = {
      port: this.port,
      listen_addresses: '127.0.0.1',
      // Inside the data folder: never collides with a system server's /var/run/postgresql socket.
      // Socket paths are limited to 107 bytes; past that, TCP only.
      unix_socket_directories: this.dataDir.length < 90 ? this.dataDir : '',
      ...this.options.settings,
    };
    const lines = Object.entries(settings).map(
      ([name, value]) => `${name} = '${String(value).replaceAll("'", "''")}'`,
    );
    const file = join(this.dataDir, CONFIG_FILE);
    writeFileSync(file, `# Written by @triggers/local-services before each start.\n${lines.join('\n')}\n`);
    const runAs = this.runAs();
    if (runAs) chownSync(file, runAs.uid, runAs.gid);
  }

  private prepareLogFile(): void {
    mkdirSync(dirname(this.logFile), { recursive: true });
    if (!existsSync(this.logFile)) writeFileSync(this.logFile, '');
    const runAs = this.runAs();
    if (runAs) {
      chownSync(this.logFile, runAs.uid, runAs.gid);
      chmodSync(this.logFile, 0o644);
    }
  }

  private logTail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  private ctl(args: string[]): Promise<string> {
    return runCommand(this.bin('pg_ctl'), [...args, '-D', this.dataDir], this.runAs());
  }

  private cancelWatchdog(): void {
    this.watchdog?.cancel();
    this.watchdog = undefined;
  }

  private runAs(): RunAs | undefined {
    this.runAsCache ??= { value: postgresRunAs() };
    return this.runAsCache.value;
  }

  private bin(name: 'initdb' | 'pg_ctl'): string {
    if (!this.binDirCache) {
      const binDir = this.options.binDir ?? findPostgresBinDir();
      const runAs = this.runAs();
      this.binDirCache = runAs ? binDirUsableBy(runAs, binDir) : binDir;
    }
    return join(this.binDirCache, name);
  }
}

function isSignalable(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
