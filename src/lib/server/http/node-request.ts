import type { IncomingMessage } from 'node:http';
import { CompatError } from '../compat/compat-error';

/**
 * What adapter-node reads from the environment to build its Requests, read the same way here so
 * the lean route (node-routes.ts) sees a request exactly as SvelteKit's handler would.
 */
export type NodeServerSettings = {
	/** ORIGIN: the public origin behind a proxy; unset, scripts/start.mjs serves plain http. */
	origin: string | null;
	/** ADDRESS_HEADER (lowercase), or '' for the socket's own address. */
	addressHeader: string;
	/** XFF_DEPTH: trusted proxies in front of the app, when the address header is X-Forwarded-For. */
	xffDepth: number;
	/** HOST_HEADER (lowercase), or '' for the Host header. */
	hostHeader: string;
	/** BODY_SIZE_LIMIT in bytes. */
	bodySizeLimit: number;
};

export function nodeServerSettings(env: NodeJS.ProcessEnv): NodeServerSettings {
	return {
		origin: env.ORIGIN || null,
		addressHeader: (env.ADDRESS_HEADER ?? '').toLowerCase(),
		xffDepth: parseInt(env.XFF_DEPTH ?? '1'),
		hostHeader: (env.HOST_HEADER ?? '').toLowerCase(),
		bodySizeLimit: parseByteSize(env.BODY_SIZE_LIMIT ?? '512K')
	};
}

/** adapter-node's size syntax: a number of bytes, or with a K, M or G suffix (`24M`). */
export function parseByteSize(text: string): number {
	const multiplier = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[text.at(-1)?.toUpperCase() ?? ''];
	return multiplier ? Number(text.slice(0, -1)) * multiplier : Number(text);
}

/**
 * The client's address as adapter-node's getClientAddress gives it; null where that throws (the
 * configured header is missing, or holds fewer proxies than XFF_DEPTH), so such a request is left
 * to SvelteKit, which answers it as it always has.
 */
export function clientAddress(req: IncomingMessage, settings: NodeServerSettings): string | null {
	if (!settings.addressHeader) return req.socket.remoteAddress ?? null;
	const value = req.headers[settings.addressHeader];
	if (value === undefined) return null;
	const text = Array.isArray(value) ? value.join(', ') : value;
	if (settings.addressHeader !== 'x-forwarded-for') return text;
	const addresses = text.split(',');
	if (settings.xffDepth < 1 || settings.xffDepth > addresses.length) return null;
	return addresses[addresses.length - settings.xffDepth].trim();
}

/** The origin a Request for this connection gets: ORIGIN, else plain http on the host it names. */
export function requestOrigin(req: IncomingMessage, settings: NodeServerSettings): string {
	if (settings.origin) return settings.origin;
	const host = (settings.hostHeader && req.headers[settings.hostHeader]) || req.headers.host || 'localhost';
	return `http://${Array.isArray(host) ? host[0] : host}`;
}

/**
 * The body in one buffer, read up to one byte past `limit` (the caller refuses it then). A declared
 * length past the limit is not read at all.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer<ArrayBuffer>> {
	if (Number(req.headers['content-length']) > limit) return Promise.resolve(Buffer.alloc(0));
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const done = () => {
			cleanup();
			resolve(Buffer.concat(chunks, size));
		};
		const onData = (chunk: Buffer) => {
			chunks.push(chunk);
			size += chunk.length;
			if (size > limit) {
				req.pause();
				done();
			}
		};
		const onError = (error: Error) => {
			cleanup();
			reject(error);
		};
		const onClose = () => {
			// Answered like any bad request (in the API's own shape), though no one is left to read it.
			if (!req.complete)
				onError(new CompatError('invalid_request', 'The request ended before its body did.'));
		};
		const cleanup = () => {
			req.off('data', onData);
			req.off('end', done);
			req.off('error', onError);
			req.off('close', onClose);
		};
		req.on('data', onData);
		req.once('end', done);
		req.once('error', onError);
		req.once('close', onClose);
	});
}

/**
 * The body as text, for a handler that reads it only when it needs it; past `limit` it fails as
 * streamBody does (and drops the request), so either way the handler sees the same error.
 */
export async function readBodyText(req: IncomingMessage, limit: number): Promise<string> {
	const body = await readBody(req, limit);
	if (body.byteLength > limit) {
		req.destroy();
		throw bodyTooLarge(limit);
	}
	// As fetch's text() decodes it: a byte-order mark is dropped.
	return utf8.decode(body);
}

const utf8 = new TextDecoder();

function bodyTooLarge(limit: number): Error {
	return new Error(`The request body is larger than ${limit} bytes.`);
}

/** Node's request headers as a fetch Headers (as adapter-node builds them: only set-cookie is a list). */
export function fetchHeaders(req: IncomingMessage): Headers {
	return new Headers(req.headers as Record<string, string>);
}

/**
 * The body as a stream, for a handler that must start before the body is in (tRPC takes a
 * request's slot first, so a client that sends its bodies slowly holds its own slots, not the
 * server's memory). Past `limit` the stream errors and the request is dropped.
 */
export function streamBody(req: IncomingMessage, limit: number): ReadableStream<Uint8Array> {
	let size = 0;
	let settled = false;
	return new ReadableStream<Uint8Array>({
		start(controller) {
			const fail = (error: Error) => {
				if (settled) return;
				settled = true;
				controller.error(error);
			};
			req.on('data', (chunk: Buffer) => {
				if (settled) return;
				size += chunk.length;
				if (size > limit) {
					fail(bodyTooLarge(limit));
					req.destroy();
					return;
				}
				controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
				if ((controller.desiredSize ?? 1) <= 0) req.pause();
			});
			req.once('end', () => {
				if (settled) return;
				settled = true;
				controller.close();
			});
			req.once('error', fail);
			req.once('close', () => {
				if (!req.complete) fail(new Error('The request ended before its body did.'));
			});
		},
		pull() {
			req.resume();
		},
		cancel() {
			settled = true;
			req.destroy();
		}
	});
}
