import type { httpSubscriptionLink } from '@trpc/client';

/** Any EventSource class tRPC accepts: the DOM's, the `eventsource` package's, or a test double. */
export type EventSourceConstructor = NonNullable<Parameters<typeof httpSubscriptionLink>[0]['EventSource']>;

export type ResolvedEventSource = {
	EventSource: EventSourceConstructor;
	/** Whether it takes a `fetch` option, so the token can travel in a header instead of the URL. */
	acceptsFetch: boolean;
};

/**
 * The EventSource to use: the caller's, else the runtime's (browsers, Deno, Node 22+), else the
 * `eventsource` package, imported only then so browser bundles never load it.
 */
export async function resolveEventSource(given?: EventSourceConstructor): Promise<ResolvedEventSource> {
	if (given) return { EventSource: given, acceptsFetch: false };
	const native = (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
	if (native) return { EventSource: native, acceptsFetch: false };
	const { EventSource } = await import('eventsource');
	return { EventSource, acceptsFetch: true };
}
