import { execFileSync, spawnSync } from 'node:child_process';

/** Whether this process may install Debian packages: only root can, and only where apt-get exists. */
export function canInstallDebianPackages(): boolean {
  return process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** `apt-get install` of one package, without its recommended ones. */
export function installDebianPackage(name: string): void {
  const apt = (args: string[]) =>
    execFileSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    apt(['install', '-y', '--no-install-recommends', name]);
  } catch {
    // Fresh containers often have no package lists yet.
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', name]);
  }
}
