/**
 * Request headers an endpoint may not set: hop-by-hop and connection-specific ones (RFC 9110 §7.6.1,
 * RFC 9113 §8.2.2: `connection`, `keep-alive`, `proxy-connection`, `te`, `trailer`,
 * `transfer-encoding`, `upgrade`, `http2-settings`), framing (`content-length`, `host`), `expect`
 * (a per-connection handshake), identity, and the signature's own. undici refuses `expect`,
 * `connection`, `keep-alive`, `transfer-encoding` and `upgrade` on every request it is given, so
 * accepting them would make every delivery of the endpoint fail.
 */
const RESERVED_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'http2-settings',
  'expect',
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'user-agent',
]);
const RESERVED_HEADER_PREFIXES = ['proxy-', 'webhook-'];

/**
 * Whether an endpoint's custom header of this name is refused (case-insensitive): the API refuses
 * it when an endpoint is created or changed, and the deliverer leaves it out of requests should an
 * endpoint stored before a rule still have it.
 */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || RESERVED_HEADER_PREFIXES.some((p) => lower.startsWith(p));
}
