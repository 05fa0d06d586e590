import ipaddr from 'ipaddr.js';

/** IPv4-compatible IPv6 (`::a.b.c.d`, RFC 4291 §2.5.5.1): deprecated, never a legitimate target. */
const IPV4_COMPATIBLE: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('::'), 96];
/** The well-known NAT64 prefix (RFC 6052), whose last 32 bits are the IPv4 address it reaches. */
const NAT64_WELL_KNOWN: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('64:ff9b::'), 96];

/**
 * Whether an IP address is a public unicast address a webhook may be sent to. Everything else is
 * refused: loopback, private (RFC 1918, unique local), link-local (which holds the cloud metadata
 * service, 169.254.169.254 and fd00:ec2::254), carrier-grade NAT, multicast, reserved and
 * unspecified ranges. IPv4 embedded in IPv6 (`::ffff:127.0.0.1`, the well-known NAT64 prefix) is
 * judged as the IPv4 it is.
 *
 * Every IPv6 range ipaddr.js names other than `unicast` is refused whole, which covers the
 * transition ranges that can carry a private IPv4 address to a relay: 6to4 (`2002::/16`,
 * e.g. `2002:a00:1::` for 10.0.0.1), Teredo (`2001::/32`) and the local-use NAT64 prefix
 * (`64:ff9b:1::/48`, RFC 8215, which reaches a private translator). ipaddr.js calls the
 * IPv4-compatible range `::/96` (`::7f00:1`, `::a00:1`) plain unicast, so it is refused here by
 * prefix: a host with IPv4-compatible tunnelling would route it to the IPv4 it embeds.
 */
export function isPublicAddress(address: string): boolean {
  const canonical = address.includes(':') ? canonicalIPv6(address) : address;
  if (canonical === undefined || !ipaddr.isValid(canonical)) return false;
  let parsed = ipaddr.parse(canonical);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.match(IPV4_COMPATIBLE)) return false;
    if (v6.isIPv4MappedAddress() || v6.range() === 'rfc6145' || v6.match(NAT64_WELL_KNOWN)) {
      parsed = embeddedIPv4(v6);
    }
  }
  return parsed.range() === 'unicast';
}

/**
 * The address as the WHATWG URL parser (and the socket layer) reads it. ipaddr.js alone takes the
 * dotted IPv4-compatible form `::8.8.8.8` for the IPv4-mapped `::ffff:8.8.8.8`, which is another
 * address. Zone ids (`fe80::1%eth0`) do not parse: link-local is refused anyway.
 */
function canonicalIPv6(address: string): string | undefined {
  const url = `http://[${address}]/`;
  return URL.canParse(url) ? new URL(url).hostname.slice(1, -1) : undefined;
}

/** The IPv4 address in the last 32 bits of an IPv4-mapped, IPv4-translated or NAT64 IPv6 address. */
function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 {
  const [high = 0, low = 0] = v6.parts.slice(6);
  return new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);
}
