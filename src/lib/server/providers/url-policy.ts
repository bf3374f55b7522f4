/**
 * Where a provider may be reached. Base URLs are set by admins, so a wrong one must not turn the server
 * into a proxy for cloud metadata endpoints or the private network (see reliability-security.md).
 * Pure: hostnames as the WHATWG URL parser normalises them (it already turns the decimal, hex and octal
 * IPv4 spellings such as http://2852039166/ into 169.254.169.254).
 */

export type HostClass = 'metadata' | 'loopback' | 'private' | 'public';
export type UrlPolicy = { allowPrivateNetwork: boolean };
export type UrlCheck = { ok: true } | { ok: false; reason: string };

const metadataHostnames = new Set([
	'metadata',
	'metadata.google.internal',
	'metadata.goog',
	'instance-data',
	'instance-data.ec2.internal'
]);

function parseIPv4(host: string): number[] | null {
	const parts = host.split('.');
	if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
	const bytes = parts.map(Number);
	return bytes.every((b) => b <= 255) ? bytes : null;
}

/** Expands an IPv6 literal into eight 16-bit groups, or null when it is not one. */
function parseIPv6(host: string): number[] | null {
	if (!host.includes(':')) return null;
	let text = host.toLowerCase().split('%')[0];
	// A trailing dotted IPv4 (::ffff:1.2.3.4) becomes two groups.
	const v4Match = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (v4Match) {
		const v4 = parseIPv4(v4Match[1]);
		if (!v4) return null;
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
	return groups.map((g) => parseInt(g, 16));
}

function classifyIPv4([a, b]: number[]): HostClass {
	// The whole link-local range: AWS (169.254.169.254), ECS (169.254.170.2) and others live there.
	if (a === 169 && b === 254) return 'metadata';
	if (a === 127 || a === 0) return 'loopback';
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
	// Carrier-grade NAT; Alibaba's metadata service is 100.100.100.200 inside it.
	if (a === 100 && b >= 64 && b <= 127) return 'private';
	return 'public';
}

function classifyIPv6(groups: number[]): HostClass {
	const embeddedV4 = [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255];
	const zeroPrefix = groups.slice(0, 5).every((g) => g === 0);
	// IPv4-mapped (::ffff:a.b.c.d) and the old IPv4-compatible form (::a.b.c.d).
	if (zeroPrefix && (groups[5] === 0xffff || (groups[5] === 0 && (groups[6] !== 0 || groups[7] > 1)))) {
		return classifyIPv4(embeddedV4);
	}
	// AWS's IPv6 metadata endpoint fd00:ec2::254.
	if (groups[0] === 0xfd00 && groups[1] === 0x0ec2) return 'metadata';
	if (groups.every((g, i) => g === (i === 7 ? 1 : 0)) || groups.every((g) => g === 0)) return 'loopback';
	if ((groups[0] & 0xfe00) === 0xfc00 || (groups[0] & 0xffc0) === 0xfe80) return 'private';
	return 'public';
}

/** Classifies a hostname or IP literal (IPv6 with or without brackets). */
export function classifyHost(hostname: string): HostClass {
	const host = hostname
		.replace(/^\[|\]$/g, '')
		.replace(/\.$/, '')
		.toLowerCase();
	if (metadataHostnames.has(host)) return 'metadata';
	if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
	const v4 = parseIPv4(host);
	if (v4) return classifyIPv4(v4);
	const v6 = parseIPv6(host);
	if (v6) return classifyIPv6(v6);
	return 'public';
}

/** Whether a request to `url` is allowed: never metadata, private/loopback only when the policy says so. */
export function checkUrl(url: string | URL, policy: UrlPolicy): UrlCheck {
	let parsed: URL;
	try {
		parsed = typeof url === 'string' ? new URL(url) : url;
	} catch {
		return { ok: false, reason: 'is not a valid URL' };
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		return { ok: false, reason: 'must use http or https' };
	}
	return checkHostClass(classifyHost(parsed.hostname), policy);
}

export function checkHostClass(hostClass: HostClass, policy: UrlPolicy): UrlCheck {
	if (hostClass === 'metadata') return { ok: false, reason: 'points at a cloud metadata address' };
	if ((hostClass === 'loopback' || hostClass === 'private') && !policy.allowPrivateNetwork) {
		return {
			ok: false,
			reason: 'points at a private or loopback address; allow private networks for this provider first'
		};
	}
	return { ok: true };
}

/**
 * A stored key must not follow a base URL to another host: the admin re-enters it (the LobeChat
 * advisory sent the stored key to an attacker's host). `null` means the vendor's default endpoint.
 */
export function baseUrlChangeNeedsKey(
	previous: string | null,
	next: string | null,
	defaultUrl: string
): boolean {
	const host = (u: string | null) => {
		try {
			return new URL(u ?? defaultUrl).host.toLowerCase();
		} catch {
			return '';
		}
	};
	return host(previous) !== host(next);
}
