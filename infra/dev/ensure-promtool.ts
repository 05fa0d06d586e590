import { findPromtoolBin } from '@triggers/local-services';
import { canInstallDebianPackages, installDebianPackage } from './debian-package.js';

/**
 * promtool for the alert rules' tests (infra/ops-tests): found on PATH or at PROMTOOL_BIN, else
 * installed from Debian's `prometheus` package, which ships it.
 */
export function ensurePromtool(): void {
  const found = findPromtoolBin();
  if (found) {
    console.log(`promtool: ${found}`);
    return;
  }
  if (!canInstallDebianPackages()) {
    throw new Error(
      'promtool is not installed: install it (sudo apt-get install prometheus ships it), or set PROMTOOL_BIN',
    );
  }
  console.log("promtool: missing; installing Debian's prometheus package (it ships promtool) with apt-get");
  installDebianPackage('prometheus');
  if (!findPromtoolBin()) throw new Error('apt-get installed prometheus but promtool is not on PATH');
}
