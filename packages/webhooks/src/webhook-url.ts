import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { isPublicAddress } from './address-policy.js';

export type UrlRefusal =
  | { reason: 'invalid_url'; message: string }
  | { reason: 'private_address'; message: string }
  | { reason: 'unresolvable_host'; message: string };

/** Resolves a host name to every address it has (what a connection might use). */
export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Checks a webhook URL when an endpoint is created or changed: http(s) only, no credentials in the
 * URL, and (unless private targets are allowed) a host whose every address is public. Hosts are
 * parsed by the WHATWG URL parser first, so decimal, octal and hex spellings of an IPv4 address
 * (`http://2130706433/`, `http://0177.1/`) are judged as the address they mean. The same check runs
 * again at send time on the address actually connected to (see `guardedLookup`), which is what
 * defeats DNS rebinding.
 */
export async function checkWebhookUrl(
  url: string,
  options: { allowPrivate: boolean; resolve?: Resolver },
): Promise<UrlRefusal | undefined> {
  if (!URL.canParse(url)) return { reason: 'invalid_url', message: 'is not a valid URL' };
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return { reason: 'invalid_url', message: 'must use http or https' };
  if (parsed.username || parsed.password)
    return { reason: 'invalid_url', message: 'must not contain credentials' };
  if (url.length > 2048) return { reason: 'invalid_url', message: 'must be at most 2048 characters' };
  if (options.allowPrivate) return undefined;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (ipaddr.isValid(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch {
      return { reason: 'unresolvable_host', message: `host ${host} does not resolve` };
    }
  }
  const refused = addresses.find((a) => !isPublicAddress(a));
  if (refused !== undefined || addresses.length === 0) {
    return {
      reason: 'private_address',
      message: `resolves to a non-public address (${refused ?? 'none'}); private targets are not allowed`,
    };
  }
  return undefined;
}
