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

/** What `checkWebhookUrl` decided: the URL to store, or why it is refused. */
export type UrlCheck = { accepted: true; url: string } | { accepted: false; refusal: UrlRefusal };

/** The longest webhook URL accepted, in its normalized form. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

const refuse = (refusal: UrlRefusal): UrlCheck => ({ accepted: false, refusal });

/**
 * Checks a webhook URL when an endpoint is created or changed: http(s) only, no credentials in the
 * URL, and (unless private targets are allowed) a host whose every address is public. The URL is
 * judged and returned in its WHATWG-normalized form (`new URL(url).href`: tabs and line breaks
 * dropped, host lower-cased, default port removed, IPv4 spellings such as `http://2130706433/` or
 * `http://0177.1/` written as the address they mean), which is what the deliverer connects to, so
 * what is stored and shown is what is sent to. The same address check runs again at send time on
 * the address actually connected to (see `guardedLookup`), which is what defeats DNS rebinding.
 * A refusal never says what a name resolved to: that would let a tenant map internal names.
 */
export async function checkWebhookUrl(
  url: string,
  options: { allowPrivate: boolean; resolve?: Resolver },
): Promise<UrlCheck> {
  if (!URL.canParse(url)) return refuse({ reason: 'invalid_url', message: 'is not a valid URL' });
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return refuse({ reason: 'invalid_url', message: 'must use http or https' });
  if (parsed.username || parsed.password)
    return refuse({ reason: 'invalid_url', message: 'must not contain credentials' });
  if (parsed.href.length > MAX_WEBHOOK_URL_LENGTH)
    return refuse({
      reason: 'invalid_url',
      message: `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters once normalized`,
    });
  const accepted: UrlCheck = { accepted: true, url: parsed.href };
  if (options.allowPrivate) return accepted;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (ipaddr.isValid(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch {
      return refuse({ reason: 'unresolvable_host', message: `host ${host} does not resolve` });
    }
  }
  if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a))) {
    return refuse({
      reason: 'private_address',
      message: 'resolves to a non-public address; private targets are not allowed',
    });
  }
  return accepted;
}
