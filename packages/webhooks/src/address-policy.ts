import ipaddr from 'ipaddr.js';

/**
 * Whether an IP address is a public unicast address a webhook may be sent to. Everything else is
 * refused: loopback, private (RFC 1918, unique local), link-local (which holds the cloud metadata
 * service, 169.254.169.254 and fd00:ec2::254), carrier-grade NAT, multicast, reserved and
 * unspecified ranges. IPv4 embedded in IPv6 (`::ffff:127.0.0.1`, NAT64) is judged as the IPv4 it is.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    else if (v6.range() === 'rfc6052' || v6.range() === 'rfc6145') parsed = embeddedIPv4(v6);
  }
  return parsed.range() === 'unicast';
}

/** The IPv4 address in the last 32 bits of a NAT64 or IPv4-translated IPv6 address. */
function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 {
  const [high = 0, low = 0] = v6.parts.slice(6);
  return new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);
}
