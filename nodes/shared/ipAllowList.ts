/**
 * Source-address allow-list: exact addresses and CIDR ranges, IPv4 and IPv6. Every address is
 * held as a 128-bit number, IPv4 as its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so that
 * `127.0.0.1`, `::ffff:127.0.0.1` and `127.0.0.0/8` all compare the same way.
 */

interface Range {
	network: bigint;
	prefix: number;
}

const IPV4_MAPPED_PREFIX = BigInt(0xffff) << BigInt(32);

function parseIPv4(address: string): bigint | null {
	const parts = address.split('.');
	if (parts.length !== 4) return null;
	let value = BigInt(0);
	for (const part of parts) {
		// No leading zeros: other tools read "010" as octal, so such an entry is ambiguous.
		if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null;
		const octet = Number(part);
		if (octet > 255) return null;
		value = (value << BigInt(8)) | BigInt(octet);
	}
	return value;
}

function parseIPv6(address: string): bigint | null {
	let head = address;
	let ipv4Tail: bigint | null = null;
	const lastColon = address.lastIndexOf(':');
	if (address.includes('.', lastColon)) {
		ipv4Tail = parseIPv4(address.slice(lastColon + 1));
		if (ipv4Tail === null) return null;
		head = `${address.slice(0, lastColon + 1)}0:0`;
	}
	const halves = head.split('::');
	if (halves.length > 2) return null;
	const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
	const left = groupsOf(halves[0]);
	const right = halves.length === 2 ? groupsOf(halves[1]) : [];
	const missing = 8 - left.length - right.length;
	if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
	const groups = [...left, ...Array<string>(missing).fill('0'), ...right];
	let value = BigInt(0);
	for (const group of groups) {
		if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
		value = (value << BigInt(16)) | BigInt(parseInt(group, 16));
	}
	if (ipv4Tail !== null) value = (value & ~BigInt(0xffffffff)) | ipv4Tail;
	return value;
}

/** Parses an IPv4 or IPv6 address (zone index ignored) into its 128-bit value, or null. */
export function parseAddress(address: string): { value: bigint; isIPv4: boolean } | null {
	const trimmed = address.trim().replace(/%.*$/, '');
	const ipv4 = parseIPv4(trimmed);
	if (ipv4 !== null) return { value: IPV4_MAPPED_PREFIX | ipv4, isIPv4: true };
	const ipv6 = trimmed.includes(':') ? parseIPv6(trimmed) : null;
	return ipv6 === null ? null : { value: ipv6, isIPv4: false };
}

function parseRange(entry: string): Range | null {
	const [address, prefixText, extra] = entry.split('/');
	if (extra !== undefined) return null;
	const parsed = parseAddress(address);
	if (!parsed) return null;
	const maxPrefix = parsed.isIPv4 ? 32 : 128;
	let prefix = maxPrefix;
	if (prefixText !== undefined) {
		if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) return null;
		prefix = Number(prefixText);
	}
	if (parsed.isIPv4) prefix += 96;
	return { network: parsed.value >> BigInt(128 - prefix), prefix };
}

export class IpAllowList {
	private constructor(private readonly ranges: Range[]) {}

	/**
	 * Builds the list from entries such as `193.43.40.153`, `10.0.0.0/8` or `2001:db8::/32`
	 * (blank entries are skipped). Returns the entries that are not addresses or ranges instead,
	 * so that a typo is reported rather than silently widening or narrowing the list.
	 */
	static parse(entries: string[]): { list: IpAllowList } | { invalid: string[] } {
		const ranges: Range[] = [];
		const invalid: string[] = [];
		for (const entry of entries.map((e) => e.trim()).filter((e) => e !== '')) {
			const range = parseRange(entry);
			if (range) ranges.push(range);
			else invalid.push(entry);
		}
		return invalid.length ? { invalid } : { list: new IpAllowList(ranges) };
	}

	get isEmpty(): boolean {
		return this.ranges.length === 0;
	}

	/** True when the address lies in one of the ranges; an unparsable address never does. */
	allows(address: string | undefined): boolean {
		if (!address) return false;
		const parsed = parseAddress(address);
		if (!parsed) return false;
		return this.ranges.some(
			(range) => parsed.value >> BigInt(128 - range.prefix) === range.network,
		);
	}
}

/** Splits a comma-, space- or newline-separated list of entries. */
export function splitEntries(value: string): string[] {
	return value.split(/[\s,;]+/).filter((entry) => entry !== '');
}
