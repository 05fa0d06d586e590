import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isPublicAddress } from './address-policy.js';

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * The error a guarded connection fails with; its code tells the deliverer not to retry a refusal as
 * a network blip. Its message becomes the attempt's error, which the tenant sees: it names the host
 * (the tenant's own input) but never the address it resolved to.
 */
export class PrivateAddressError extends Error {
  readonly code = 'ERR_PRIVATE_ADDRESS';
  constructor(host: string) {
    super(`${host} resolves to a non-public address`);
    this.name = 'PrivateAddressError';
  }
}

/**
 * A `lookup` for sockets (`net.connect({ lookup })`, undici's `connect.lookup`) that refuses
 * non-public addresses. It runs on the very resolution the socket connects to, so a host that
 * answers a public address to an earlier check and a private one now (DNS rebinding) is refused.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses as LookupAddress[];
    if (list.length === 0 || list.some((a) => !isPublicAddress(a.address)))
      return callback(new PrivateAddressError(hostname), []);
    if (options.all) return callback(null, list);
    const first = list[0]!;
    callback(null, first.address, first.family);
  });
}
