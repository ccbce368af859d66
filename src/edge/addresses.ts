import { isIP } from 'net';
import { quote } from '../errors';

/** One validated IP address in its canonical text form. */
export interface IpAddress {
  /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, shortest form). */
  readonly text: string;
  /** 4 or 6. */
  readonly family: 4 | 6;
}

const EXAMPLE = 'such as "203.0.113.10" or "2001:db8::10"';

/**
 * Parse one IP address given by the operator: an IPv4 address in dotted form
 * or an IPv6 address, without brackets, port, prefix length or zone. IPv6
 * addresses are brought into their canonical RFC 5952 form, so that two
 * spellings of one address compare equal.
 *
 * Refused: the unspecified address (0.0.0.0, ::), "this network"
 * (0.0.0.0/8), the IPv4 broadcast address, multicast addresses, and
 * IPv4-mapped IPv6 addresses (give the IPv4 address itself). Private and
 * loopback addresses are accepted: a load balancer may sit behind NAT, and
 * the end-to-end test runs on 127.0.0.x.
 *
 * @param what how to name the value in an error, e.g. `entry address of "red.example.com"`
 */
export function parseIpAddress(input: unknown, what: string): IpAddress {
  const fail = (why: string): never => {
    throw new Error(`${what} ${quote(input)} is not valid: ${why}`);
  };
  if (typeof input !== 'string') {
    return fail(`expected an IPv4 or IPv6 address ${EXAMPLE}`);
  }
  const text = input.trim();
  if (/^\[.*\]$/.test(text)) {
    return fail('expected the address without brackets');
  }
  if (text.includes('/')) {
    return fail('it is a network (prefix length); expected one address');
  }
  if (text.includes('%')) {
    return fail('expected a global address without a zone index ("%...")');
  }
  const family = isIP(text);
  if (family === 4) {
    const octets = text.split('.').map(Number);
    if (octets[0] === 0) {
      return fail('0.0.0.0/8 is not a usable address');
    }
    if (octets[0] >= 224 && octets[0] <= 239) {
      return fail('it is a multicast address');
    }
    if (octets.every((o) => o === 255)) {
      return fail('it is the broadcast address');
    }
    return { text, family: 4 };
  }
  if (family === 6) {
    const groups = ipv6Groups(text);
    if (groups.every((g) => g === 0)) {
      return fail('it is the unspecified address');
    }
    if (groups[0] >= 0xff00) {
      return fail('it is a multicast address');
    }
    if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
      return fail('it is an IPv4-mapped IPv6 address; give the IPv4 address itself');
    }
    return { text: formatIpv6(groups), family: 6 };
  }
  if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(text)) {
    return fail('expected an address without a port');
  }
  return fail(`expected an IPv4 or IPv6 address ${EXAMPLE}`);
}

/** `host:port` with IPv6 addresses in brackets, as HAProxy and URLs write it. */
export function hostPort(address: IpAddress, port: number): string {
  return address.family === 6 ? `[${address.text}]:${port}` : `${address.text}:${port}`;
}

/** The eight 16-bit groups of a valid IPv6 address (trailing dotted IPv4 allowed). */
function ipv6Groups(text: string): number[] {
  let s = text.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    s = `${s.slice(0, dotted.index)}${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  if (tail === undefined) {
    return left;
  }
  const right = parse(tail);
  return [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (>= 2) of zero groups as "::". */
function formatIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) {
    return hex.join(':');
  }
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
