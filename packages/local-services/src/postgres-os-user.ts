import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunAs } from './run-command.js';

const OS_USER = 'postgres';

/**
 * The OS user that runs Postgres: this process's own user (undefined), except under root, which
 * Postgres refuses; then the `postgres` user, created when missing (CI containers run as root).
 */
export function postgresRunAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (spawnSync('id', ['-u', OS_USER], { stdio: 'ignore' }).status !== 0) {
    execFileSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', OS_USER],
      {
        stdio: 'pipe',
      },
    );
  }
  const id = (flag: string) => Number(execFileSync('id', [flag, OS_USER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Asks the kernel (through `test`) whether `runAs` may do `check` on `path`: exact, ACLs included. */
export function userCan(runAs: RunAs, check: '-x' | '-w' | '-r', path: string): boolean {
  return spawnSync('test', [check, path], { ...runAs, stdio: 'ignore' }).status === 0;
}

/**
 * A bin folder `runAs` can execute. The embedded binaries live inside the clone, which may sit
 * where other users cannot enter (a root CI job cloning under /root): then the installation
 * (bin, lib, share) is copied once to a world-readable temp folder.
 */
export function binDirUsableBy(runAs: RunAs, binDir: string): string {
  if (userCan(runAs, '-x', join(binDir, 'postgres'))) return binDir;
  const installation = dirname(binDir);
  const hash = createHash('sha256').update(installation).digest('hex').slice(0, 12);
  const copy = join(tmpdir(), `triggers-postgres-${hash}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    // Copy aside, then rename: a half-finished copy is never mistaken for a complete one.
    const partial = `${copy}.partial-${process.pid}`;
    cpSync(installation, partial, { recursive: true, verbatimSymlinks: true });
    rmSync(copy, { recursive: true, force: true });
    renameSync(partial, copy);
  }
  return join(copy, 'bin');
}

/**
 * Whether the OS user that runs Postgres can enter `dir` (always true unless this process is root).
 * Lets callers pick a data folder elsewhere when the clone sits in a private home such as /root.
 */
export function postgresUserCanEnter(dir: string): boolean {
  const runAs = postgresRunAs();
  return !runAs || userCan(runAs, '-x', dir);
}
