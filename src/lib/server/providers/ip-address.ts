/**
 * IP literal parsing for the URL policy. Pure. An address is checked by what the network stack would
 * connect to, so IPv4 is parsed as inet_aton does and every IPv6 form that carries an IPv4 address
 * (which a NAT64 gateway, 6to4 or Teredo relay would reach) is unpacked.
 */

/** Four bytes. */
export type IPv4Bytes = [number, number, number, number];

function parseIPv4Part(part: string): number | null {
	if (/^0x[0-9a-f]*$/i.test(part)) return part.length === 2 ? 0 : parseInt(part.slice(2), 16);
	if (/^0[0-7]*$/.test(part)) return parseInt(part, 8);
	if (/^[1-9][0-9]*$/.test(part)) return parseInt(part, 10);
	return null;
}

/**
 * IPv4 in every spelling inet_aton accepts: one to four parts, each decimal, 0-prefixed octal or
 * 0x-prefixed hex, the last part filling the remaining bytes (2852039166, 0xa9.0xfe.0xa9.0xfe,
 * 169.254.43518). The WHATWG URL parser normalises these in URLs; DNS answers and raw hosts are not.
 */
export function parseIPv4(host: string): IPv4Bytes | null {
	const parts = host.split('.');
	if (parts.length > 4) return null;
	const values = parts.map(parseIPv4Part);
	if (values.some((v) => v === null)) return null;
	const numbers = values as number[];
	const last = numbers.pop()!;
	if (numbers.some((v) => v > 255) || last >= 256 ** (4 - numbers.length)) return null;
	let value = last;
	numbers.forEach((v, i) => (value += v * 256 ** (3 - i)));
	return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
}

/** Expands an IPv6 literal (brackets and zone already removed) into sixteen bytes, or null. */
export function parseIPv6(host: string): number[] | null {
	if (!host.includes(':')) return null;
	let text = host.toLowerCase().split('%')[0];
	// A trailing dotted IPv4 (::ffff:1.2.3.4) becomes two groups.
	const v4Match = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (v4Match) {
		if (!/^(\d{1,3}\.){3}\d{1,3}$/.test(v4Match[1])) return null;
		const v4 = v4Match[1].split('.').map(Number);
		if (v4.some((b) => b > 255)) return null;
		text =
			text.slice(0, -v4Match[1].length) +
			`${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
	}
	const halves = text.split('::');
	if (halves.length > 2) return null;
	const head = halves[0] ? halves[0].split(':') : [];
	const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
	const missing = 8 - head.length - tail.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
	const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
	if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
	return groups.flatMap((g) => {
		const n = parseInt(g, 16);
		return [n >> 8, n & 255];
	});
}

const pick = (bytes: number[], ...at: number[]) => at.map((i) => bytes[i]) as IPv4Bytes;
const startsWith = (bytes: number[], prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
const zero = (bytes: number[], from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);

/** Where RFC 6052 puts the IPv4 address for each NAT64 prefix length inside 64:ff9b:1::/48. */
const nat64Layouts = [
	[6, 7, 9, 10], // /48 (byte 8 is the reserved "u" octet)
	[7, 9, 10, 11], // /56
	[9, 10, 11, 12], // /64
	[12, 13, 14, 15] // /96
];

export type EmbeddedIPv4 = {
	/** The IPv4 addresses a packet to this IPv6 address may end up at. */
	addresses: IPv4Bytes[];
	/** True for ranges that only exist inside a local network (the local-use NAT64 prefix). */
	localOnly: boolean;
};

/**
 * The IPv4 addresses an IPv6 address carries: IPv4-mapped (::ffff:0:0/96), IPv4-translated
 * (::ffff:0:0:0/96), IPv4-compatible (::/96), NAT64 (64:ff9b::/96 and, in any of its layouts,
 * 64:ff9b:1::/48), 6to4 (2002::/16) and Teredo (2001::/32: server and the bit-inverted client).
 */
export function embeddedIPv4(bytes: number[]): EmbeddedIPv4 {
	const last4 = pick(bytes, 12, 13, 14, 15);
	if (zero(bytes, 0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) {
		return { addresses: [last4], localOnly: false };
	}
	if (zero(bytes, 0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(bytes, 10, 12)) {
		return { addresses: [last4], localOnly: false };
	}
	// ::a.b.c.d, but not :: and ::1 themselves.
	if (zero(bytes, 0, 12) && !(zero(bytes, 12, 15) && bytes[15] <= 1)) {
		return { addresses: [last4], localOnly: false };
	}
	if (startsWith(bytes, [0, 0x64, 0xff, 0x9b]) && zero(bytes, 4, 12)) {
		return { addresses: [last4], localOnly: false };
	}
	if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, 0, 1])) {
		return { addresses: nat64Layouts.map((at) => pick(bytes, ...at)), localOnly: true };
	}
	if (startsWith(bytes, [0x20, 0x02])) return { addresses: [pick(bytes, 2, 3, 4, 5)], localOnly: false };
	if (startsWith(bytes, [0x20, 0x01, 0, 0])) {
		const client = last4.map((b) => b ^ 0xff) as IPv4Bytes;
		return { addresses: [pick(bytes, 4, 5, 6, 7), client], localOnly: false };
	}
	return { addresses: [], localOnly: false };
}
