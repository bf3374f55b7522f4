import type { TRPCError } from '@trpc/server';
import {
	callProcedure,
	getAcceptHeader,
	getErrorShape,
	getLastEventId,
	getTRPCErrorFromUnknown,
	parseConnectionParamsFromString,
	sseHeaders
} from '@trpc/server/unstable-core-do-not-import';
import type { App } from '../app';
import type { Context } from './context';
import { prepareTrpcCall } from './handler';
import { procedureAt, routerConfig as config } from './lean-procedure';
import { serializeOutput } from './output-serializer';
import { appRouter } from './router';
import { sseFrames } from './sse-frames';

/*
 * A tRPC subscription answered without tRPC's fetch adapter: the same procedure (its middlewares,
 * input validation, context, slot and errors as handleTrpcRequest gives them), its events written
 * as the SSE frames tRPC would write (sse-frames.ts). tRPC's adapter passes every event through five
 * web streams; a streamed answer relays each delta through them, which was the largest share of the
 * relay's cost per delta. Anything this does not answer exactly as tRPC would (a batch, input that
 * does not parse) is left to tRPC's adapter.
 */

/** What the lean route writes: the head, then the frames; `cancel` ends the procedure (client gone). */
export type LeanSubscription = {
	headers: Headers;
	frames: AsyncGenerator<string>;
	cancel(): Promise<void>;
};

type Parsed = {
	path: string;
	input: unknown;
	lastEventId: string | null;
	connectionParams: Record<string, string> | null;
};

/** A single GET subscription whose path, input and connection params parse, or null (tRPC answers it). */
function parse(url: URL, method: string, headers: Headers): Parsed | null {
	if (method !== 'GET' || url.searchParams.get('batch') === '1') return null;
	// A JSON-lines stream request: tRPC refuses it unbatched, in its own words.
	if (getAcceptHeader(headers) === 'application/jsonl') return null;
	const target = procedureAt(url);
	if (target?.type !== 'subscription') return null;
	const { path } = target;
	try {
		const raw = url.searchParams.get('input');
		let input = raw ? config.transformer.input.deserialize(JSON.parse(raw)) : undefined;
		// As tRPC does: a resumed stream's id (header or query) joins the input.
		const lastEventId = getLastEventId({ headers, searchParams: url.searchParams });
		if (lastEventId) {
			if (typeof input === 'object' && input !== null) input = { ...input, lastEventId };
			else input ??= { lastEventId };
		}
		const params = url.searchParams.get('connectionParams');
		return {
			path,
			input,
			lastEventId,
			// The same cast as handleTrpcRequest's: tRPC has checked that every value is a string.
			connectionParams:
				params === null ? null : (parseConnectionParamsFromString(params) as Record<string, string>)
		};
	} catch {
		return null;
	}
}

/**
 * Opens the subscription the request asks for, or returns null for tRPC's adapter to answer. The
 * procedure's signal aborts when the request's does (the client left) or on `cancel()`.
 */
export async function openLeanSubscription(
	app: App,
	req: Request,
	extra: { clientAddress: string; requestId: string }
): Promise<LeanSubscription | null> {
	const url = new URL(req.url);
	const parsed = parse(url, req.method, req.headers);
	if (!parsed) return null;
	const { path, input, lastEventId, connectionParams } = parsed;
	const call = await prepareTrpcCall(app, req, extra);
	const headers = new Headers([['vary', 'trpc-accept, accept'], ...Object.entries(sseHeaders)]);
	// One controller that follows the request's signal too: AbortSignal.any() cost about 0.04 ms a
	// subscription on Node 20 (a profile of 600 streamed completions).
	const ended = new AbortController();
	const follow = () => ended.abort(req.signal.reason);
	if (req.signal.aborted) follow();
	else req.signal.addEventListener('abort', follow, { once: true });
	const { signal } = ended;
	let ctx: Context | undefined;
	let source: AsyncIterable<unknown>;
	try {
		ctx = await call.createContext(headers, connectionParams);
		const data = await callProcedure({
			router: appRouter,
			path,
			getRawInput: async () => input,
			ctx,
			type: 'subscription',
			signal,
			batchIndex: 0
		});
		source = data as AsyncIterable<unknown>;
	} catch (error) {
		source = failing(error);
	}
	const frames = sseFrames(source, {
		client: config.sse?.client ?? {},
		pingMs: config.sse?.ping?.enabled ? (config.sse.ping.intervalMs ?? 1000) : undefined,
		lastEventId,
		serialize: serializeOutput,
		formatError: (cause) => {
			const error: TRPCError = getTRPCErrorFromUnknown(cause);
			return getErrorShape({ config, ctx, error, input, path, type: 'subscription' });
		}
	});
	return {
		headers,
		frames: released(frames, call.release),
		async cancel() {
			ended.abort();
			await frames.return(undefined);
		}
	};
}

/** A source that fails at once: tRPC too answers a refused subscription with its error as a frame. */
function failing(error: unknown): AsyncIterable<never> {
	return {
		[Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) })
	};
}

/** The frames, with the client's slot given back once they end or are abandoned. */
async function* released(
	frames: AsyncGenerator<string>,
	release: (() => void) | null
): AsyncGenerator<string> {
	try {
		yield* frames;
	} finally {
		release?.();
	}
}
