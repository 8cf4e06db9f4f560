// Where a webhook may be sent (SSRF): public unicast addresses only, unless the directory lets
// an agency reach a network of its own, or development allows plain HTTP to loopback.
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export interface TargetPolicy {
  /** Plain HTTP to loopback receivers (development only). */
  allowLoopback: boolean;
  /** CIDR networks the agency's directory entry lets its webhooks reach. */
  allowedNetworks: readonly string[];
}

/** A URL checked for delivery, with the one address it is to be sent to. */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** The URL or its host's addresses are not to be sent to: `reason` says why. */
export class TargetRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TargetRefusedError';
  }
}

export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

const MAX_URL_LENGTH = 2048;

/** The URL's form alone: HTTPS (or HTTP to a loopback host when allowed), no credentials. */
export function parseWebhookUrl(raw: string, policy: TargetPolicy): URL {
  if (raw.length > MAX_URL_LENGTH)
    throw new TargetRefusedError('url is longer than 2048 characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefusedError('url is not an absolute URL');
  }
  if (url.username || url.password) {
    throw new TargetRefusedError('url must not carry a user name or password');
  }
  if (url.protocol === 'http:') {
    if (!policy.allowLoopback || !isLoopbackHost(url.hostname)) {
      throw new TargetRefusedError(
        'url must be https (plain http only to a loopback address, in development)',
      );
    }
  } else if (url.protocol !== 'https:') {
    throw new TargetRefusedError('url must be https');
  }
  return url;
}

const isLoopbackHost = (hostname: string): boolean =>
  hostname === 'localhost' ||
  (ipaddr.isValid(unbracket(hostname)) && rangeOf(unbracket(hostname)) === 'loopback');

const unbracket = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

/** IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry. */
function parsed(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const ip = ipaddr.parse(address);
  return ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()
    ? (ip as ipaddr.IPv6).toIPv4Address()
    : ip;
}

const rangeOf = (address: string): string => parsed(address).range();

function inAllowedNetwork(address: string, networks: readonly string[]): boolean {
  const ip = parsed(address);
  return networks.some((cidr) => {
    try {
      const [network, bits] = ipaddr.parseCIDR(cidr);
      return network.kind() === ip.kind() && ip.match([network, bits]);
    } catch {
      return false;
    }
  });
}

/**
 * Why `address` may not be sent to, or `undefined` when it may. Only global unicast passes:
 * private, loopback, link-local (169.254.169.254, the cloud metadata service), unique-local
 * (fd00:ec2::254), carrier-grade NAT, multicast, reserved and the IPv6 forms that embed an
 * IPv4 address are refused, unless a network the directory allows holds the address.
 */
export function refusalOf(
  address: string,
  policy: TargetPolicy,
  plainHttp: boolean,
): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const range = rangeOf(address);
  if (plainHttp) {
    return range === 'loopback' && policy.allowLoopback
      ? undefined
      : `plain http may reach only loopback addresses; ${address} is ${range}`;
  }
  if (range === 'unicast') return undefined;
  if (range === 'loopback' && policy.allowLoopback) return undefined;
  if (inAllowedNetwork(address, policy.allowedNetworks)) return undefined;
  return `${address} is a ${range} address, which webhooks may not reach`;
}

/**
 * Checks the URL, resolves its host and checks every address it has; the delivery then connects
 * to the address returned, never resolving again (no DNS rebinding between check and connect).
 */
export async function checkTarget(
  raw: string,
  policy: TargetPolicy,
  resolve: Resolve = systemResolve,
): Promise<CheckedTarget> {
  const url = parseWebhookUrl(raw, policy);
  const host = unbracket(url.hostname);
  let addresses: { address: string; family: number }[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      throw new TargetRefusedError(`${host} does not resolve: ${(error as Error).message}`);
    }
  }
  if (!addresses.length) throw new TargetRefusedError(`${host} has no address`);
  const plainHttp = url.protocol === 'http:';
  for (const { address } of addresses) {
    const refusal = refusalOf(address, policy, plainHttp);
    // One bad address refuses the host: which one a connection would take is not ours to know.
    if (refusal) throw new TargetRefusedError(`${host}: ${refusal}`);
  }
  const [first] = addresses;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
