/**
 * Where a provider may be reached. Base URLs are set by admins, so a wrong one must not turn the server
 * into a proxy for cloud metadata endpoints or the private network (see reliability-security.md).
 * Pure. An address embedded in another (NAT64, 6to4, Teredo, odd IPv4 spellings) counts as what it embeds.
 */

import { embeddedIPv4, parseIPv4, parseIPv6, type IPv4Bytes } from './ip-address';

export type HostClass = 'metadata' | 'loopback' | 'private' | 'public';
export type UrlPolicy = { allowPrivateNetwork: boolean };
export type UrlCheck = { ok: true } | { ok: false; reason: string };

// Refused always. Names resolve to the addresses below only inside their clouds, where DNS is theirs.
const metadataHostnames = new Set([
	'metadata',
	'metadata.google.internal',
	'metadata.goog',
	'metadata.tencentyun.com',
	'metadata.platformequinix.com',
	'instance-data',
	'instance-data.ec2.internal'
]);
const metadataIPv4 = new Set([
	'100.100.100.200', // Alibaba Cloud, inside the carrier-grade NAT range a private-network provider may use
	'192.0.0.192', // Oracle Cloud (legacy)
	'168.63.129.16' // Azure WireServer, a public address that only answers inside Azure
]);
// GCP's fd20:ce::254 (AWS's whole fd00:ec2::/32 is matched below), compared byte for byte.
const metadataIPv6 = new Set(['fd20:ce::254'].map((a) => parseIPv6(a)!.join('.')));

// The order of severity: an address counts as the worst class any of its readings has.
const severity: HostClass[] = ['public', 'private', 'loopback', 'metadata'];
const worst = (classes: HostClass[]) =>
	classes.reduce((a, b) => (severity.indexOf(b) > severity.indexOf(a) ? b : a), 'public');

function classifyIPv4(bytes: IPv4Bytes): HostClass {
	const [a, b] = bytes;
	// The whole link-local range: AWS (169.254.169.254), ECS (169.254.170.2) and others live there.
	if ((a === 169 && b === 254) || metadataIPv4.has(bytes.join('.'))) return 'metadata';
	if (a === 127 || a === 0) return 'loopback';
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
	// Carrier-grade NAT, benchmarking, multicast and reserved: never a public API.
	if ((a === 100 && b >= 64 && b <= 127) || (a === 198 && (b === 18 || b === 19)) || a >= 224) {
		return 'private';
	}
	return 'public';
}

function classifyIPv6(bytes: number[]): HostClass {
	const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i] << 8) | bytes[2 * i + 1]);
	const embedded = embeddedIPv4(bytes);
	const classes = embedded.addresses.map(classifyIPv4);
	if (embedded.localOnly) classes.push('private');
	// AWS's IPv6 metadata range fd00:ec2::/32, and GCP's fd20:ce::254.
	if ((groups[0] === 0xfd00 && groups[1] === 0x0ec2) || metadataIPv6.has(bytes.join('.'))) {
		classes.push('metadata');
	}
	if (groups.every((g, i) => g === (i === 7 ? 1 : 0)) || groups.every((g) => g === 0))
		classes.push('loopback');
	// Unique local fc00::/7, link-local fe80::/10, site-local fec0::/10, multicast ff00::/8.
	if ((groups[0] & 0xfe00) === 0xfc00 || (groups[0] & 0xff80) === 0xfe80 || groups[0] >= 0xff00) {
		classes.push('private');
	}
	return worst(classes);
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
