import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import superjson from 'superjson';
// Type only: the router's code never reaches the SDK's JavaScript.
import type { AppRouter } from '../server/trpc/router';
import type { FetchFunction } from './client';
import { readJsonLines } from './jsonl-reader';

/** The parts of tRPC's response envelope this link reads. */
type Envelope = { result: { data: unknown } } | { error: unknown };

/**
 * The link of the watched starts (`chats.sendAndWatch`, `completions.startAndWatch`): the request
 * httpBatchStreamLink sends (a batch of one, answered in JSON lines) and its reading of the answer,
 * sent at once. httpBatchStreamLink holds every call for a timer tick to batch it with others
 * (tRPC's dataLoader, `setTimeout`: 1.3 ms p50 on Node before the request left), and a start is
 * never batched: that tick was on the path to every answer's first token.
 */
export function watchedStartLink(options: {
	url: string;
	fetch?: FetchFunction;
	headers: () => Record<string, string>;
}): TRPCLink<AppRouter> {
	return () =>
		({ op }) =>
			observable((observer) => {
				// Until the ids are in, leaving the call ends its request; after, the events still
				// stream, and end with the caller's signal or once nothing reads them.
				const beforeAnswer = new AbortController();
				const unread = new AbortController();
				const signal = anySignal([beforeAnswer.signal, unread.signal, op.signal]);
				let answered = false;
				call(op.path, op.input, signal, unread, options).then(
					(envelope) => {
						answered = true;
						if ('error' in envelope) return observer.error(TRPCClientError.from(envelope));
						observer.next({ result: envelope.result });
						observer.complete();
					},
					(cause: unknown) => {
						answered = true;
						observer.error(TRPCClientError.from(cause instanceof Error ? cause : new Error(String(cause))));
					}
				);
				return () => {
					if (!answered) beforeAnswer.abort();
				};
			});
}

/** Aborted once any of them is (AbortSignal.any, for runtimes that lack it). */
function anySignal(signals: (AbortSignal | null | undefined)[]): AbortSignal {
	const any = new AbortController();
	for (const signal of signals) {
		if (!signal) continue;
		if (signal.aborted) {
			any.abort(signal.reason);
			break;
		}
		signal.addEventListener('abort', () => any.abort(signal.reason), { once: true, signal: any.signal });
	}
	return any.signal;
}

async function call(
	path: string,
	input: unknown,
	signal: AbortSignal,
	unread: AbortController,
	options: { url: string; fetch?: FetchFunction; headers: () => Record<string, string> }
): Promise<Envelope> {
	const base = options.url.replace(/\/$/, '');
	const response = await (options.fetch ?? globalThis.fetch)(`${base}/${path}?batch=1`, {
		method: 'POST',
		signal,
		body: JSON.stringify({ 0: superjson.serialize(input) }),
		headers: { 'content-type': 'application/json', 'trpc-accept': 'application/jsonl', ...options.headers() }
	});
	if (!response.ok || !response.body) {
		// Refused before any line (a batch tRPC will not take, a proxy's error): plain JSON.
		const json = (await response.json()) as Envelope;
		return 'error' in json ? { error: superjson.deserialize(json.error as never) } : json;
	}
	const head = (await readJsonLines({
		from: response.body,
		// Each line was just parsed: no one else holds it, so superjson needs no copy of it.
		deserialize: (value) => superjson.deserialize(value as never, { inPlace: true }),
		formatError: (error) => TRPCClientError.from({ error } as never),
		abortController: unread
	})) as Record<string, Promise<Envelope>>;
	const envelope = await head[0];
	if (!('result' in envelope)) return envelope;
	// The data sits under two promises of their own, as tRPC's producer nests them.
	const result = await envelope.result;
	return { result: { data: await result.data } };
}
