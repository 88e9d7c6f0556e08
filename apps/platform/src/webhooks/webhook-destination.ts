import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { PlatformConfig } from '../config.js';
import type { WebhookDestinationReason } from '../http/refusal-reasons.js';

/**
 * Where webhooks may go (PROTOCOL.md §6, issue 9.2). In production a webhook URL is https to a
 * public address: never loopback, private (10/8, 172.16/12, 192.168/16), CGNAT, link-local
 * (169.254/16 — cloud metadata), unique-local (fc00::/7), multicast or reserved. The URL is checked
 * when it is registered, and every connection is checked again *after* DNS resolution by a custom
 * `lookup` (a name that resolved to a public address at registration and to 127.0.0.1 later —
 * DNS rebinding — is refused at connect time). Development mode, and production with
 * MYCARD_WEBHOOK_ALLOW_PRIVATE, allow private addresses and plain http; the log says so at start.
 */
const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['2001::', 23],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, bits, 'ipv6');
}

/** True when `address` (an IP literal) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    // BlockList judges IPv4-mapped addresses (::ffff:7f00:1) by the IPv4 rules.
    return !NOT_PUBLIC.check(address, 'ipv6');
  }
  return !NOT_PUBLIC.check(address, 'ipv4');
}

/** Names that never point at the public internet, whatever DNS says. */
const INTERNAL_NAME = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|corp)$/i;

/** Whether private destinations and plain http are allowed (development, or the explicit flag). */
export function allowsPrivateWebhooks(config: Pick<PlatformConfig, 'mode' | 'webhookAllowPrivate'>): boolean {
  return config.mode === 'development' || config.webhookAllowPrivate;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * The registration check of a webhook URL (beyond checkProgramUrl's scheme and credential rules):
 * a short reason when the URL is refused, else undefined. Names are resolved once here; a name
 * that does not resolve yet is accepted (every connection is checked again).
 */
export async function checkWebhookDestination(
  config: Pick<PlatformConfig, 'mode' | 'webhookAllowPrivate'>,
  raw: string,
  resolve: (host: string) => Promise<string[]> = resolveAll,
): Promise<WebhookDestinationReason | undefined> {
  if (allowsPrivateWebhooks(config)) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'webhook_not_a_url';
  }
  if (url.protocol !== 'https:') return 'webhook_not_https';
  const host = hostOf(url);
  if (isIP(host) !== 0) return isPublicAddress(host) ? undefined : 'webhook_private_address';
  if (INTERNAL_NAME.test(host) || !host.includes('.')) return 'webhook_internal_name';
  const addresses = await resolve(host).catch(() => [] as string[]);
  return addresses.some((a) => !isPublicAddress(a)) ? 'webhook_private_address' : undefined;
}

function resolveAll(host: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true }, (err, addresses: LookupAddress[]) =>
      err ? reject(err) : resolve(addresses.map((a) => a.address)),
    );
  });
}

/** The error a refused connection fails with (reason `webhook_private_address` on the outbox row). */
export class WebhookDestinationError extends Error {
  override name = 'WebhookDestinationError';
  readonly code = 'EWEBHOOKDESTINATION';
}

/**
 * A `lookup` for `http.request`/`https.request` that refuses non-public addresses: the check runs
 * on the addresses the socket will actually connect to, at every connection.
 */
export function createSafeLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const usable = allowPrivate ? addresses : addresses.filter((a) => isPublicAddress(a.address));
      const first = usable[0];
      if (!first) {
        return callback(new WebhookDestinationError(`${hostname} resolves to no public address`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      return callback(null, first.address, first.family);
    });
  };
}

/** The host check for a literal IP in the URL (Node connects to literals without a lookup). */
export function literalAddressRefused(url: URL, allowPrivate: boolean): boolean {
  const host = hostOf(url);
  return !allowPrivate && isIP(host) !== 0 && !isPublicAddress(host);
}
