import { lookup as systemLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { dispatcherFetch } from './dispatcher-fetch';
import { findCause } from './provider-errors';
import { sendGateOf } from './send-gate';
import { checkHostClass, checkUrl, classifyHost, type UrlCheck, type UrlPolicy } from './url-policy';

/** Thrown (and seen by the SDKs as a connection failure's cause) when a request is not allowed out. */
export class OutboundRefusedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'OutboundRefusedError';
	}
}

/** Every address a hostname resolves to (the system resolver unless a test brings its own). */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export type GuardedFetchOptions = {
	policy: UrlPolicy;
	maxRedirects?: number;
	resolve?: Resolve;
	/** How long a hostname's answers are reused for new connections (ms). */
	dnsTtlMs?: number;
};

/** The guarded fetch, and the way to let go of its connection pool when its configuration is replaced. */
export type GuardedFetch = typeof fetch & {
	/** Stops new requests and closes the pool once the requests in flight have finished. */
	close(): Promise<void>;
};

const DNS_TTL_MS = 30_000;

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

const resolveWithSystem: Resolve = (hostname) =>
	new Promise((resolve, reject) =>
		systemLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)))
	);

/**
 * Reuses a hostname's answers for a while: the connections a burst of streams opens at once share one
 * resolution instead of one getaddrinfo each. Failures are not kept, so a fixed DNS is seen at once.
 */
function memoizedResolve(resolve: Resolve, ttlMs: number): Resolve {
	const answers = new Map<string, { at: number; addresses: Promise<LookupAddress[]> }>();
	return (hostname) => {
		const now = performance.now();
		const hit = answers.get(hostname);
		if (hit && now - hit.at < ttlMs) return hit.addresses;
		const addresses = resolve(hostname);
		answers.set(hostname, { at: now, addresses });
		addresses.catch(() => {
			if (answers.get(hostname)?.addresses === addresses) answers.delete(hostname);
		});
		return addresses;
	};
}

/**
 * The lookup the socket itself uses: it resolves once, refuses the connection if any answer breaks
 * the policy, and hands over exactly the answers it checked. Checking in a separate lookup before the
 * request would leave a DNS-rebinding window between the check and the connection.
 */
function checkedLookup(resolve: Resolve, policy: UrlPolicy): LookupFunction {
	return (hostname, options, callback) => {
		resolve(hostname).then(
			(answers) => {
				for (const { address } of answers) {
					const check = checkHostClass(classifyHost(address), policy);
					if (!check.ok) {
						const reason = check.reason.replace(/^points at/, 'is');
						const refused = new OutboundRefusedError(
							`The provider URL's host resolves to an address that ${reason}.`
						);
						return callback(refused, '', 0);
					}
				}
				const usable = answers.filter((a) => !options.family || a.family === options.family);
				if (usable.length === 0) {
					const notFound = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
						code: 'ENOTFOUND',
						hostname
					});
					return callback(notFound, '', 0);
				}
				if (options.all) return callback(null, usable);
				callback(null, usable[0].address, usable[0].family);
			},
			(error: NodeJS.ErrnoException) => callback(error, '', 0)
		);
	};
}

/**
 * The fetch every SDK client gets: it applies the URL policy to each request and to each address
 * its connections go to, and follows redirects only within the same origin, so a provider (or a
 * DNS trick) cannot send our key elsewhere. Built once per provider configuration: its agent keeps
 * connections alive across requests, so a turn pays no DNS lookup or TLS handshake of its own.
 */
export function createGuardedFetch(options: GuardedFetchOptions): GuardedFetch {
	const maxRedirects = options.maxRedirects ?? 3;
	const resolve = memoizedResolve(options.resolve ?? resolveWithSystem, options.dnsTtlMs ?? DNS_TTL_MS);
	const dispatcher = new Agent({ connect: { lookup: checkedLookup(resolve, options.policy) } });
	const fetchOut = dispatcherFetch(dispatcher);
	// Every call of a provider goes to the same few URLs' hosts: each host is judged once. The
	// policy is fixed for this fetch's life (a changed configuration builds a new one).
	const verdicts = new Map<string, UrlCheck>();
	const checkedUrl = (url: URL): UrlCheck => {
		const key = `${url.protocol}//${url.hostname}`;
		let verdict = verdicts.get(key);
		if (!verdict) {
			verdict = checkUrl(url, options.policy);
			if (verdicts.size < 64) verdicts.set(key, verdict);
		}
		return verdict;
	};
	const send = (input: RequestInfo | URL, init: RequestInit) =>
		fetchOut(input, init).catch((error: unknown) => {
			throw findCause(error, (e) => e instanceof OutboundRefusedError) ?? error;
		});
	const guarded: typeof fetch = async (input, init) => {
		// A call prepared ahead of its turn's save leaves once the save is done (send-gate.ts).
		const gate = sendGateOf(init);
		if (gate) await gate;
		let url = new URL(input instanceof Request ? input.url : String(input));
		const literal = checkedUrl(url);
		if (!literal.ok) throw new OutboundRefusedError(`The provider URL ${literal.reason}.`);
		let requestInit: RequestInit = { ...init, redirect: 'manual' };
		// The parsed URL goes on (a Request keeps its own method and body).
		let response = await send(input instanceof Request ? input : url, requestInit);
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
			response = await send(next, requestInit);
		}
		return response;
	};
	return Object.assign(guarded, { close: () => dispatcher.close() });
}
