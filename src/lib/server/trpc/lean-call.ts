import { TRPCError } from '@trpc/server';
import {
	callProcedure,
	getAcceptHeader,
	getErrorShape,
	getHTTPStatusCode,
	getTRPCErrorFromUnknown,
	isAsyncIterable,
	isObject,
	transformTRPCResponse
} from '@trpc/server/unstable-core-do-not-import';
import type { App } from '../app';
import type { Context } from './context';
import { ContextFailure } from './context-failure';
import { prepareTrpcCall } from './handler';
import { WATCHED_START_PATHS } from '$lib/schemas/watched-starts';
import { jsonlLines } from './jsonl-lines';
import { procedureAt, routerConfig as config } from './lean-procedure';
import { leanOutputConfig, serializeOutput } from './output-serializer';
import { appRouter } from './router';

/*
 * A query or mutation answered without tRPC's fetch adapter: the SDK's calls (a batch of one, as
 * httpBatchLink sends them), each with the same procedure, context, slot and errors as
 * handleTrpcRequest gives it, and the same status, headers and body as tRPC writes. The adapter
 * builds a Request with a streamed body, reads it back through web streams and answers with a
 * Response whose body is streamed to the socket again; for a send that was most of the request's
 * own cost. The starts that stream their generation's events (WATCHED_START_PATHS) are answered in
 * JSON lines as httpBatchStreamLink asks (jsonl-lines.ts). Anything else (a larger batch, other JSON
 * lines, a method the procedure does not take) is left to tRPC's adapter.
 */

/** A call this module answers: one procedure, by the method tRPC accepts for its type. */
export type LeanCallTarget = { path: string; type: 'query' | 'mutation'; lines: boolean };

/** What to write: tRPC's status, headers and JSON body for the call, or its JSON lines as they come. */
export type LeanReply = { status: number; headers: Headers } & (
	{ body: string; lines?: never } | { lines: AsyncGenerator<string>; body?: never }
);

/** The call a request makes when it is one this module answers exactly as tRPC would; null otherwise. */
export function leanCallTarget(url: URL, method: string, headers: Headers): LeanCallTarget | null {
	if (url.searchParams.get('batch') !== '1' || url.searchParams.has('connectionParams')) return null;
	const target = procedureAt(url);
	if (!target) return null;
	const { path, type } = target;
	// JSON lines (httpBatchStreamLink): only the watched starts', the rest are tRPC's to stream.
	const lines = getAcceptHeader(headers) === 'application/jsonl';
	if (lines && !WATCHED_START_PATHS.has(path)) return null;
	if (type === 'query' && method === 'GET') return { path, type, lines };
	// tRPC reads a POST's body as JSON only when it says it is (its JSON content handler).
	if (type === 'mutation' && method === 'POST' && isJson(headers.get('content-type'))) {
		return { path, type, lines };
	}
	return null;
}

function isJson(contentType: string | null): boolean {
	return contentType?.toLowerCase().split(';', 1)[0].trim() === 'application/json';
}

/**
 * Answers the call. `readInput` gives the raw input text (the body, or the URL's `input`), read only
 * when the procedure asks for its input, as tRPC reads it; its failure is the call's BAD_REQUEST.
 * `release` gives the client's slot back once the reply is written.
 */
export async function answerLeanCall(
	app: App,
	req: Request,
	target: LeanCallTarget,
	readInput: () => Promise<string | undefined>,
	extra: {
		clientAddress: string;
		requestId: string;
		/** Aborts when the client leaves: the procedure's `signal`. */
		signal: AbortSignal;
	}
): Promise<LeanReply & { release: (() => void) | null }> {
	const { path, type } = target;
	const call = await prepareTrpcCall(app, req, extra);
	const resHeaders = new Headers();
	// JSON lines go out with the headers the context set; tRPC writes their head before the call ends.
	let contextHeaders: Headers | null = null;
	let ctx: Context | undefined;
	// What tRPC's error shape is given as the input: the parsed input once it was read.
	let input: unknown;
	let data: unknown;
	let error: TRPCError | null = null;
	// Read once, however often the procedure's middlewares ask (tRPC memoizes it the same way).
	let reading: Promise<unknown> | null = null;
	const getRawInput = () => (reading ??= parseBatchInput(readInput).then((parsed) => (input = parsed)));
	try {
		ctx = await call.createContext(resHeaders, null);
		contextHeaders = new Headers(resHeaders);
		data = await callProcedure({
			router: appRouter,
			path,
			getRawInput,
			ctx,
			type,
			signal: extra.signal,
			batchIndex: 0
		});
		if (!target.lines && isDataStream(data)) {
			throw new TRPCError({
				code: 'UNSUPPORTED_MEDIA_TYPE',
				message: 'Cannot use stream-like response in non-streaming request - use httpBatchStreamLink'
			});
		}
	} catch (cause) {
		error = getTRPCErrorFromUnknown(cause);
	}
	const shapeOf = (cause: TRPCError) => getErrorShape({ config, ctx, error: cause, input, path, type });
	if (target.lines) {
		const headers = new Headers([
			['vary', 'trpc-accept, accept'],
			['content-type', config.jsonl?.contentType ?? 'application/json'],
			['transfer-encoding', 'chunked']
		]);
		for (const [name, value] of contextHeaders ?? resHeaders) headers.append(name, value);
		return {
			// tRPC answers JSON lines 200 whatever the call's outcome: an error is a line of its own.
			status: 200,
			headers,
			lines: jsonlLines(error ? { ok: false, error: shapeOf(error) } : { ok: true, data }, {
				serialize: serializeOutput,
				formatError: (cause) => shapeOf(getTRPCErrorFromUnknown(cause)),
				pingMs: config.jsonl?.pingMs
			}),
			release: call.release
		};
	}
	const result = error ? { error: shapeOf(error) } : { result: { data } };
	const headers = new Headers([
		['vary', 'trpc-accept, accept'],
		['content-type', 'application/json']
	]);
	for (const [name, value] of resHeaders) headers.append(name, value);
	return {
		status: getHTTPStatusCode([result], error ? [error] : []),
		headers,
		body: JSON.stringify(transformTRPCResponse(leanOutputConfig, [result])),
		release: call.release
	};
}

/**
 * The batch's first input, as tRPC's JSON handler reads it: none when there is no text, a
 * BAD_REQUEST carrying the parser's message when it is not JSON or not a batch's object.
 */
async function parseBatchInput(readInput: () => Promise<string | undefined>): Promise<unknown> {
	try {
		const text = await readInput();
		if (!text) return undefined;
		const inputs: unknown = JSON.parse(text);
		if (!isObject(inputs)) {
			throw new TRPCError({
				code: 'BAD_REQUEST',
				message: '"input" needs to be an object when doing a batch call'
			});
		}
		const first = inputs[0];
		return first === undefined ? undefined : config.transformer.input.deserialize(first);
	} catch (cause) {
		if (cause instanceof TRPCError) throw cause;
		throw new TRPCError({
			code: 'BAD_REQUEST',
			message: cause instanceof Error ? cause.message : 'Invalid input',
			cause
		});
	}
}

const isThenable = (value: unknown) => isObject(value) && typeof value.then === 'function';

/** tRPC's test for an answer only a streaming link can carry. */
function isDataStream(value: unknown): boolean {
	if (!isObject(value)) return false;
	if (isAsyncIterable(value)) return true;
	const values = Object.values(value);
	return values.some(isThenable) || values.some((v) => isAsyncIterable(v));
}

/**
 * A request refused before tRPC reads it (a body over the size limit), answered in tRPC's error
 * shape: the SDK and the UI read its code and message as they read any refusal, where a bare JSON
 * error had them report an unknown error. One envelope, as both batch links take it for a batch.
 */
export function refusedCall(url: URL, requestId: string, error: TRPCError): LeanReply {
	const target = procedureAt(url);
	const shape = getErrorShape({
		config,
		ctx: undefined,
		// The request's id travels with the error, as when building a context fails.
		error: new ContextFailure(requestId, error),
		input: undefined,
		path: target?.path,
		type: target?.type ?? 'unknown'
	});
	return {
		status: getHTTPStatusCode({ error: shape }, [error]),
		headers: new Headers([
			['vary', 'trpc-accept, accept'],
			['content-type', 'application/json']
		]),
		body: JSON.stringify(transformTRPCResponse(leanOutputConfig, { error: shape }))
	};
}
