/** Accept a caller's request id only if it is short and plain; otherwise mint one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get('x-request-id');
  return given && /^[A-Za-z0-9._-]{8,128}$/.test(given) ? given : crypto.randomUUID();
}

/**
 * The header apps/web/server.mjs sets on every request it hands to Next: the TCP peer's address
 * (`req.socket.remoteAddress`), after deleting whatever a client sent under that name. Route handlers
 * cannot see the socket, so this is how the address reaches them. Trusted only when the app says the
 * server in front of it overwrites it (`ClientAddressRule.peerHeader`).
 */
export const PEER_HEADER = 'x-pocket-smyth-peer';

/**
 * How the client's address is found (docs/ARCHITECTURE.md, "Security rules": client-sent forwarding
 * headers are not trusted by default).
 */
export interface ClientAddressRule {
  /**
   * Proxies in front of the app that each append the address they saw to X-Forwarded-For
   * (`TRUSTED_PROXY_HOPS`). 0: X-Forwarded-For is ignored. N: the Nth entry from the right is the client
   * (the entries further left were sent by the client itself and prove nothing).
   */
  trustedProxyHops: number;
  /** True only when every request reaches the app through a server that overwrites `PEER_HEADER`. */
  peerHeader: boolean;
}

/** Nothing is trusted: no address unless the app says where one comes from. */
export const NO_TRUSTED_ADDRESS: ClientAddressRule = { trustedProxyHops: 0, peerHeader: false };

/**
 * The client's address: with no trusted proxy the socket peer (as server.mjs reports it); with N
 * trusted proxy hops the Nth X-Forwarded-For entry from the right (the leftmost one when a shorter
 * chain arrived, the peer when none). X-Real-IP is never read: it is one more header any client can send,
 * and the proxies this app documents (Traefik) append to X-Forwarded-For. Null when the address is
 * unknown or not an IP address.
 */
export function clientIpFrom(headers: Headers, rule: ClientAddressRule = NO_TRUSTED_ADDRESS): string | null {
  const peer = rule.peerHeader ? normaliseAddress(headers.get(PEER_HEADER)) : null;
  const hops = Math.max(0, Math.trunc(rule.trustedProxyHops));
  if (hops === 0) return peer;
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (chain.length === 0) return peer;
  return normaliseAddress(chain[Math.max(0, chain.length - hops)]);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * An IPv4 or IPv6 address in one spelling: brackets and a port removed, IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`) as plain IPv4, IPv6 in lower case. Null for anything else.
 */
export function normaliseAddress(raw: string | null | undefined): string | null {
  let value = raw?.trim().toLowerCase() ?? '';
  if (!value || value.length > 64) return null;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  else if (/^[\d.]+:\d{1,5}$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  const mapped = /^(?:0{0,4}:){0,4}:?:ffff:([\d.]+)$/.exec(value)?.[1];
  if (mapped) return IPV4.test(mapped) ? mapped : null;
  if (IPV4.test(value)) return value;
  return isIpv6(value) ? value : null;
}

function isIpv6(value: string): boolean {
  if (!/^[0-9a-f:.]+$/.test(value) || !value.includes(':')) return false;
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  const last = groups.at(-1) ?? '';
  const tailIsIpv4 = last.includes('.');
  if (tailIsIpv4 && !IPV4.test(last)) return false;
  const hexGroups = tailIsIpv4 ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return false;
  const width = hexGroups.length + (tailIsIpv4 ? 2 : 0);
  return halves.length === 2 ? width < 8 : width === 8;
}
