/**
 * Which attachment links point inside the network n8n runs in: loopback, link-local (cloud
 * metadata at 169.254.169.254), private and other non-public ranges, and the host names that
 * only ever name a local machine. Only what the link itself says is judged here (node code may
 * not resolve names); a name that resolves to a private address is left to n8n's own egress
 * filter where the running n8n has one (files.ts).
 */
import { IpAllowList, parseAddress } from './ipAllowList';

/**
 * Non-public IPv4 and IPv6 ranges: n8n's own default SSRF block list (N8N_SSRF_BLOCKED_IP_RANGES
 * in n8n 2.x), plus shared address space (100.64.0.0/10), multicast and reserved ranges, and the
 * IPv6 forms nothing public uses (unspecified, loopback, IPv4-compatible ::/96, site-local).
 */
const NON_PUBLIC_RANGES = [
	'0.0.0.0/8',
	'10.0.0.0/8',
	'100.64.0.0/10',
	'127.0.0.0/8',
	'169.254.0.0/16',
	'172.16.0.0/12',
	'192.0.0.0/24',
	'192.0.2.0/24',
	'192.168.0.0/16',
	'198.18.0.0/15',
	'198.51.100.0/24',
	'203.0.113.0/24',
	'224.0.0.0/4',
	'240.0.0.0/4',
	'::/96',
	'fc00::/7',
	'fe80::/10',
	'fec0::/10',
	'ff00::/8',
];

const parsedRanges = IpAllowList.parse(NON_PUBLIC_RANGES);
/** Every entry above is a range (a test holds it so); were one not, every address counts as private. */
const inRanges = (address: string) =>
	'list' in parsedRanges ? parsedRanges.list.allows(address) : true;

/** NAT64's prefix (64:ff9b::/96, RFC 6052): the last 32 bits are an IPv4 address. */
const NAT64_PREFIX = BigInt('0x0064ff9b') << BigInt(96);
const LOW_96_BITS = (BigInt(1) << BigInt(96)) - BigInt(1);

/** The IPv4 address inside a NAT64 address (64:ff9b::a.b.c.d), as text, or undefined. */
function embeddedIPv4(address: string): string | undefined {
	const parsed = parseAddress(address);
	if (!parsed || parsed.isIPv4 || (parsed.value & ~LOW_96_BITS) !== NAT64_PREFIX) return undefined;
	const low = Number(parsed.value & BigInt(0xffffffff));
	return [24, 16, 8, 0].map((shift) => (low >>> shift) & 0xff).join('.');
}

/**
 * Whether an IP address is not a public one. IPv4-mapped IPv6 (::ffff:127.0.0.1) compares as
 * its IPv4 address (ipAllowList holds every address so); NAT64 addresses as the IPv4 inside.
 */
export function isNonPublicAddress(address: string): boolean {
	const inside = embeddedIPv4(address);
	return inRanges(address) || (inside !== undefined && inRanges(inside));
}

/**
 * Names that only ever mean a local machine or network: `localhost` and `*.localhost`
 * (RFC 6761), `.local` (mDNS), `.internal` (cloud metadata, e.g. metadata.google.internal),
 * `.home.arpa` (RFC 8375), and a name without a dot, which the resolver completes with the
 * local search domains. A public file link always has a dotted name.
 */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|home\.arpa)$/i;

/**
 * Why n8n should not fetch this link when private addresses are not allowed, or undefined when
 * nothing in the link itself points inside. `url` is WHATWG-parsed, which already turns the
 * other spellings of an IPv4 address (2130706433, 0x7f.1, 127.1) into dotted decimal.
 */
export function privateTarget(url: URL): string | undefined {
	const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
	if (parseAddress(host)) {
		return isNonPublicAddress(host)
			? `the link points to a loopback, link-local or private address (${host})`
			: undefined;
	}
	if (LOCAL_NAME.test(host) || !host.includes('.'))
		return `the link names a local host (${host.slice(0, 64)})`;
	return undefined;
}
