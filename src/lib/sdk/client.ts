import {
	createTRPCClient,
	httpBatchLink,
	httpSubscriptionLink,
	splitLink,
	TRPCClientError,
	type TRPCClient,
	type TRPCLink
} from '@trpc/client';
import { observable } from '@trpc/server/observable';
import superjson from 'superjson';
import { MAX_BATCH_SIZE } from '../schemas/api-limits';
import { WATCHED_START_PATHS } from '../schemas/watched-starts';
import { watchedStartLink } from './watched-start-link';
// Type only: the router's code never reaches the SDK's JavaScript.
import type { AppRouter } from '../server/trpc/router';
import { isAbsoluteHttpUrl, trpcEndpoint } from './endpoint';
import { resolveEventSource, type EventSourceConstructor } from './event-source';

export type FetchFunction = typeof globalThis.fetch;

export type SwitchboardClientOptions = {
	/** The app's address (`http://localhost:3000`) or its tRPC endpoint (`…/api/trpc`). */
	url: string;
	/** An API token (`sb_…`). Without one, a browser on the app's origin uses its session cookie. */
	token?: string;
	fetch?: FetchFunction;
	/** For runtimes without one (Node 20 gets the `eventsource` package by default). */
	EventSource?: EventSourceConstructor;
	/**
	 * How a subscription sends the token. `header` needs an EventSource with a `fetch` option (the
	 * `eventsource` package), and keeps the token out of URLs; `connectionParams` works with any
	 * EventSource but puts the token in the query string, which the server accepts for API tokens.
	 * Default: `header` when the SDK picked the `eventsource` package itself, else `connectionParams`.
	 */
	subscriptionAuth?: 'header' | 'connectionParams';
	/** Extra headers for every query and mutation. */
	headers?: Record<string, string>;
};

type Resolved = { url: string; token?: string; fetch?: FetchFunction };

function authHeaders(token: string | undefined): Record<string, string> {
	return token ? { authorization: `Bearer ${token}` } : {};
}

/** Adds the bearer header to every request an `eventsource` EventSource makes (reconnects too). */
function fetchWithToken(base: FetchFunction | undefined, token: string) {
	return (url: string | URL, init: { headers: Record<string, string> } & RequestInit) =>
		(base ?? globalThis.fetch)(url, { ...init, headers: { ...init.headers, ...authHeaders(token) } });
}

async function createSubscriptionLink(
	options: SwitchboardClientOptions,
	resolved: Resolved
): Promise<TRPCLink<AppRouter>> {
	const { EventSource, acceptsFetch } = await resolveEventSource(options.EventSource);
	const mode = options.subscriptionAuth ?? (acceptsFetch ? 'header' : 'connectionParams');
	const { token } = resolved;
	return httpSubscriptionLink({
		url: resolved.url,
		transformer: superjson,
		EventSource,
		connectionParams: token && mode === 'connectionParams' ? { token } : undefined,
		eventSourceOptions:
			token && mode === 'header' ? () => ({ fetch: fetchWithToken(resolved.fetch, token) }) : undefined
	});
}

/**
 * A link built on first use: choosing the EventSource may need a dynamic import, and links are
 * created synchronously. Queries and mutations never wait for it.
 */
function deferredLink(load: () => Promise<TRPCLink<AppRouter>>): TRPCLink<AppRouter> {
	return (runtime) => {
		let operationLink: ReturnType<TRPCLink<AppRouter>> | null = null;
		let loading: Promise<ReturnType<TRPCLink<AppRouter>>> | null = null;
		return ({ op, next }) =>
			observable((observer) => {
				let closed = false;
				let unsubscribe = () => {};
				loading ??= load().then((link) => (operationLink = link(runtime)));
				const run = (link: ReturnType<TRPCLink<AppRouter>>) => {
					if (closed) return;
					unsubscribe = link({ op, next }).subscribe(observer).unsubscribe;
				};
				if (operationLink) run(operationLink);
				else loading.then(run, (cause: unknown) => observer.error(TRPCClientError.from(toError(cause))));
				return () => {
					closed = true;
					unsubscribe();
				};
			});
	};
}

function toError(cause: unknown): Error {
	return cause instanceof Error ? cause : new Error(String(cause));
}

/** The tRPC client alone: typed procedures, batched queries, SSE subscriptions, bearer auth. */
export function createTrpcClient(options: SwitchboardClientOptions): TRPCClient<AppRouter> {
	const url = trpcEndpoint(options.url);
	// A page can resolve a relative URL against its own address; Node has no such base.
	const hasPageBase = typeof (globalThis as { location?: unknown }).location !== 'undefined';
	if (!hasPageBase && !isAbsoluteHttpUrl(url)) {
		throw new TypeError(`Switchboard URL must be absolute (http:// or https://), got "${options.url}"`);
	}
	const resolved: Resolved = { url, token: options.token, fetch: options.fetch };
	const headers = () => ({ ...options.headers, ...authHeaders(options.token) });
	return createTRPCClient<AppRouter>({
		links: [
			splitLink({
				condition: (op) => op.type === 'subscription',
				true: deferredLink(() => createSubscriptionLink(options, resolved)),
				false: splitLink({
					condition: (op) => WATCHED_START_PATHS.has(op.path),
					// Its own request at once, answered in JSON lines as the events come.
					true: watchedStartLink({ url, fetch: options.fetch, headers }),
					false: httpBatchLink({
						url,
						transformer: superjson,
						fetch: options.fetch,
						// Keeps batched GET URLs short enough for proxies; longer batches go as several requests.
						maxURLLength: 4000,
						// The server refuses larger batches; more calls at once go as several requests.
						maxItems: MAX_BATCH_SIZE,
						headers
					})
				})
			})
		]
	});
}
