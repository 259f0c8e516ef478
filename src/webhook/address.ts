// Where a webhook may go (no server-side request forgery): an https URL whose host resolves only to public
// addresses. Private, loopback, link-local, shared (CGNAT), multicast and reserved ranges are refused, in IPv4 and
// IPv6 (unique-local, ::1, and the forms that carry an IPv4 address: mapped, compatible, translated, 6to4, Teredo, and
// NAT64 of a refused one), checked with Node's own BlockList at registration and again at each delivery, which then
// connects to the very address checked (no second lookup to rebind).
// WEBHOOK_ALLOW_PRIVATE=1 (the default in tests only) lifts both rules: any address, and plain http.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// Two lists: a BlockList also matches IPv4 addresses against its IPv6 rules (as mapped), so one list with ::ffff:0:0/96
// would refuse every IPv4 address.
const BLOCKED_V4 = new BlockList();
const BLOCKED_V6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (CGNAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  BLOCKED_V4.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // IPv4-compatible (deprecated), with the unspecified :: and the loopback ::1
  ['::ffff:0:0', 96], // IPv4-mapped: a webhook names an IPv4 address as such
  ['::ffff:0:0:0', 96], // IPv4-translated (SIIT)
  ['64:ff9b:1::', 48], // NAT64 for local use (RFC 8215): the network's own translator, whatever it embeds
  ['100::', 64], // discard
  ['2001::', 32], // Teredo: a tunnel to the IPv4 address it embeds
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (embeds any IPv4)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  BLOCKED_V6.addSubnet(net, prefix, 'ipv6');

// NAT64's well-known prefix (RFC 6052): 64:ff9b::a.b.c.d reaches a.b.c.d through the network's translator. Refused
// when that IPv4 address is refused, not as a whole: on an IPv6-only network with DNS64, every IPv4-only host
// resolves to such an address, and refusing the prefix would refuse them all.
const NAT64 = new BlockList();
NAT64.addSubnet('64:ff9b::', 96, 'ipv6');

/** The IPv4 address in an IPv6 address's last 32 bits (`isIP(address) === 6`), e.g. 64:ff9b::a00:1 → 10.0.0.1. */
function lastIpv4(address: string): string {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) return dotted[1];
  const groups = address.replace(/%.*$/, '').split(':');
  const [high, low] = groups.slice(-2).map((g) => Number.parseInt(g || '0', 16));
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Is this address one a webhook must never reach? */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED_V4.check(address, 'ipv4');
  if (family !== 6) return true;
  if (BLOCKED_V6.check(address, 'ipv6')) return true;
  return NAT64.check(address, 'ipv6') && BLOCKED_V4.check(lastIpv4(address), 'ipv4');
}

export type CheckedAddress = { ok: true; url: URL; address: string; family: 4 | 6 } | { ok: false; problem: string };

/**
 * Parses and resolves a webhook URL: its scheme, its host's addresses (every one must be allowed), and the address to
 * connect to. `problem` is a sentence for the form or the delivery log.
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<CheckedAddress> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'Enter a full URL, e.g. https://example.com/hooks/crm.' };
  }
  const schemes = allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) return { ok: false, problem: 'The URL must start with https://.' };
  if (url.username || url.password) return { ok: false, problem: 'Leave the user name and password out of the URL.' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let found: { address: string; family: number }[];
  try {
    found = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  } catch {
    return { ok: false, problem: `The host ${host} could not be found.` };
  }
  if (found.length === 0) return { ok: false, problem: `The host ${host} could not be found.` };
  if (!allowPrivate && found.some((a) => isPrivateAddress(a.address)))
    return {
      ok: false,
      problem: `The host ${host} resolves to a private, loopback or reserved address: webhooks go to public ones only.`,
    };
  return { ok: true, url, address: found[0].address, family: found[0].family === 6 ? 6 : 4 };
}
