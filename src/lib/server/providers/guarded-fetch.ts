import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { checkHostClass, checkUrl, classifyHost, type UrlPolicy } from './url-policy';

/** Thrown (and seen by the SDKs as a connection failure's cause) when a request is not allowed out. */
export class OutboundRefusedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'OutboundRefusedError';
	}
}

export type GuardedFetchOptions = {
	policy: UrlPolicy;
	baseFetch?: typeof fetch;
	maxRedirects?: number;
	/** Resolve hostnames and check their addresses too (a public name can point at 169.254.169.254). */
	checkDns?: boolean;
};

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

// Addresses per hostname for a short while: the check should not add a resolver round trip to
// every provider call. (A rebinding attacker still needs the name to flip within this window.)
const dnsCache = new Map<string, { until: number; addresses: string[] }>();
const DNS_TTL_MS = 30_000;

async function resolveAddresses(hostname: string): Promise<string[]> {
	const now = Date.now();
	const hit = dnsCache.get(hostname);
	if (hit && hit.until > now) return hit.addresses;
	const addresses = (await lookup(hostname, { all: true }).catch(() => [])).map((a) => a.address);
	if (dnsCache.size > 500) dnsCache.clear();
	dnsCache.set(hostname, { until: now + DNS_TTL_MS, addresses });
	return addresses;
}

async function assertAllowed(url: URL, options: GuardedFetchOptions): Promise<void> {
	const literal = checkUrl(url, options.policy);
	if (!literal.ok) throw new OutboundRefusedError(`The provider URL ${literal.reason}.`);
	const hostname = url.hostname.replace(/^\[|\]$/g, '');
	if (options.checkDns === false || isIP(hostname) || classifyHost(hostname) !== 'public') return;
	for (const address of await resolveAddresses(hostname)) {
		const check = checkHostClass(classifyHost(address), options.policy);
		if (!check.ok) {
			throw new OutboundRefusedError(
				`The provider URL's host resolves to an address that ${check.reason.replace(/^points at/, 'is')}.`
			);
		}
	}
}

/**
 * The fetch every SDK client gets: it applies the URL policy to each request and follows redirects
 * only within the same origin, so a provider (or a DNS trick) cannot send our key elsewhere.
 */
export function createGuardedFetch(options: GuardedFetchOptions): typeof fetch {
	const baseFetch = options.baseFetch ?? globalThis.fetch;
	const maxRedirects = options.maxRedirects ?? 3;
	return async (input, init) => {
		let url = new URL(input instanceof Request ? input.url : String(input));
		await assertAllowed(url, options);
		let requestInit: RequestInit = { ...init, redirect: 'manual' };
		let response = await baseFetch(input, requestInit);
		for (let hop = 0; redirectStatuses.has(response.status); hop++) {
			const location = response.headers.get('location');
			if (!location) return response;
			const next = new URL(location, url);
			await response.body?.cancel().catch(() => {});
			if (next.origin !== url.origin) {
				throw new OutboundRefusedError(
					`The provider redirected to another host (${next.host}); not followed.`
				);
			}
			if (hop >= maxRedirects) throw new OutboundRefusedError('The provider redirected too many times.');
			const method = (requestInit.method ?? 'GET').toUpperCase();
			const toGet =
				response.status === 303 ||
				((response.status === 301 || response.status === 302) && method === 'POST');
			requestInit = toGet ? { ...requestInit, method: 'GET', body: undefined } : requestInit;
			url = next;
			response = await baseFetch(next, requestInit);
		}
		return response;
	};
}
