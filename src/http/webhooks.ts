import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { CallbackGuard, Notifier } from '../app/subscriptions.ts';

/**
 * Webhook callbacks without server-side request forgery: only http(s) URLs, and never to a
 * private, loopback, link-local, unique-local, multicast or otherwise non-public address — checked
 * when a subscription is made and again at connect time for every delivery (the address actually
 * connected to, so a DNS answer that changes cannot slip through) — unless the operator lists the
 * host or network in CORRIDOR_WEBHOOK_ALLOW.
 */

/**
 * Every special-purpose range of the IANA IPv4 and IPv6 registries that a public web server does
 * not live in (RFC 6890 and its updates), plus multicast, reserved and deprecated ranges.
 */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.31.196.0', 24],
  ['192.52.193.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['192.175.48.0', 24],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  // IPv4-compatible (deprecated), the unspecified address and loopback.
  ['::', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  // IETF protocol assignments: Teredo, benchmarking, ORCHID and the like.
  ['2001::', 23],
  ['2001:db8::', 32],
  // 6to4 carries an IPv4 address that a relay would reach.
  ['2002::', 16],
  ['3fff::', 20],
  ['5f00::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** The 16 bytes of an IPv6 address (any spelling isIP accepts as 6). */
function ipv6Bytes(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const words = (part: string | undefined) =>
    (part ? part.split(':') : []).flatMap((w) =>
      w.includes('.') ? dottedWords(w) : [parseInt(w, 16)],
    );
  const first = words(head);
  const last = tail === undefined ? [] : words(tail);
  const all = [...first, ...Array<number>(8 - first.length - last.length).fill(0), ...last];
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}

function dottedWords(v4: string): number[] {
  const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
  return [(a << 8) | b, (c << 8) | d];
}

/** An allowlist from `host,host,10.0.0.0/8,::1` (hosts by name, addresses, networks). */
export interface CallbackAllowlist {
  hosts: ReadonlySet<string>;
  networks: BlockList;
}

export function parseAllowlist(value: string | undefined): CallbackAllowlist {
  const hosts = new Set<string>();
  const networks = new BlockList();
  for (const raw of (value ?? '').split(',')) {
    const item = raw.trim().toLowerCase();
    if (!item) continue;
    const [addr, bits] = item.split('/');
    const family = isIP(addr!);
    if (family === 0) hosts.add(item);
    else if (bits !== undefined)
      networks.addSubnet(addr!, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    else networks.addAddress(addr!, family === 4 ? 'ipv4' : 'ipv6');
  }
  return { hosts, networks };
}

/** Why an address may not be called, or undefined when it is public or allowed. */
function addressProblem(address: string, allow: CallbackAllowlist): string | undefined {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (allow.networks.check(address, type)) return undefined;
  if (family === 6) {
    // IPv4-mapped IPv6 (::ffff:a.b.c.d, in any spelling) is the IPv4 address it carries.
    const bytes = ipv6Bytes(address.split('%')[0]!);
    if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
      return addressProblem(bytes.slice(12).join('.'), allow);
  }
  if (NON_PUBLIC.check(address, type))
    return `${address} is a private, loopback, link-local or reserved address`;
  return undefined;
}

function lookupAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );
}

export function callbackGuard(allow: CallbackAllowlist): CallbackGuard {
  return {
    async problem(raw) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return 'not a URL';
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return `${url.protocol.replace(':', '')} URLs are not called back; use http or https`;
      if (url.username || url.password) return 'a callback URL may not carry credentials';
      const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
      if (allow.hosts.has(host)) return undefined;
      let addresses: string[];
      try {
        addresses = isIP(host) ? [host] : (await lookupAll(host)).map((a) => a.address);
      } catch {
        return `${host} does not resolve`;
      }
      for (const a of addresses) {
        const problem = addressProblem(a, allow);
        if (problem) return `${host}: ${problem}`;
      }
      return undefined;
    },
  };
}

/** Sends notifications over node:http(s), checking the address connected to, 10 s timeout. */
export function httpNotifier(allow: CallbackAllowlist): Notifier {
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses;
      const bad = allow.hosts.has(hostname.toLowerCase())
        ? undefined
        : list.map((a) => addressProblem(a.address, allow)).find(Boolean);
      if (bad) return callback(new Error(bad), '', 4);
      if (options.all) return callback(null, list, 4);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
  return {
    sign: (secret, body) =>
      createHmac('sha256', Buffer.from(secret, 'base64')).update(body, 'utf8').digest('hex'),
    post: (raw, body, headers) =>
      new Promise((resolve) => {
        const url = new URL(raw);
        const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
        const req = send(
          url,
          {
            method: 'POST',
            headers: { ...headers, 'content-length': Buffer.byteLength(body) },
            timeout: 10_000,
            lookup,
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                retryAfterSeconds: retryAfterSeconds(res.headers['retry-after'], Date.now()),
              }),
            );
            res.on('error', (e) => resolve({ error: e.message }));
          },
        );
        req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
        req.on('error', (e) => resolve({ error: e.message }));
        req.end(body);
      }),
  };
}

/**
 * Seconds from a Retry-After header (delay-seconds or an HTTP date), or undefined when there is
 * none or it cannot be read.
 */
export function retryAfterSeconds(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}
