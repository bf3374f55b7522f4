import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app';
import { compatCallerId } from '../compat/authenticate';
import { CompatError } from '../compat/compat-error';
import type { CompatRequest } from '../compat/compat-request';
import { compatRoute, type CompatRoute } from '../compat/compat-routes';
import { MAX_BODY_BYTES } from '../compat/read-body';
import { describeError, log } from '../log';
import { recordRequest } from '../observability/request-log';
import { requestIdFor, requestIdHeader } from '../observability/request-id';
import { writeReply } from './write-reply';

/**
 * The lean route: API traffic answered on Node's own request and response, ahead of SvelteKit.
 * A request through SvelteKit pays for a web Request with a streamed body, route matching, the
 * hook sequence and a web-stream response pumped to the socket (about 1.5 ms of a /v1 turn, more
 * than the whole relay costs); here the body is read into one buffer and SSE frames are written to
 * the socket as they come; no web Request, Headers or stream is made. What the hooks do for these paths is done here too: the security
 * headers (set by scripts/start.mjs on every response), the request id, log line and metric, and
 * a 503 while the app is not up (by leaving the request to SvelteKit). The compatible APIs ignore
 * cookies, so the origin guard has nothing to guard on them.
 */
export type NodeRoutes = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Where the app offers its lean route to the Node server that scripts/start.mjs runs. */
export const nodeRoutesKey = Symbol.for('switchboard.node-routes');

/** Offers the lean route to scripts/start.mjs's server; `currentApp` is asked on every request. */
export function installNodeRoutes(currentApp: () => App | null | undefined): void {
	(globalThis as { [nodeRoutesKey]?: NodeRoutes })[nodeRoutesKey] = (req, res) =>
		serveNodeRoute(currentApp(), req, res);
}

/** Answers the request when it is one of the lean routes (true), else leaves it untouched (false). */
export function serveNodeRoute(
	app: App | null | undefined,
	req: IncomingMessage,
	res: ServerResponse
): boolean {
	const target = req.url ?? '';
	if (!app || !target.startsWith('/')) return false;
	const query = target.indexOf('?');
	const route = compatRoute(req.method ?? 'GET', query < 0 ? target : target.slice(0, query));
	if (!route) return false;
	void serveCompat(app, route, req, res);
	return true;
}

async function serveCompat(app: App, route: CompatRoute, req: IncomingMessage, res: ServerResponse) {
	const started = performance.now();
	const request = nodeCompatRequest(req, res);
	const requestId = requestIdFor(request.headers);
	res.setHeader(requestIdHeader, requestId);
	const finish = (status: number) =>
		recordRequest({
			requestId,
			method: req.method ?? 'GET',
			route: route.label,
			status,
			ms: performance.now() - started,
			userId: compatCallerId(request)
		});
	try {
		await writeReply(await route.handle(app, request), res, finish);
	} catch (error) {
		// The handlers answer every failure of their own, so this is a bug: the connection is closed
		// rather than left hanging.
		if (!res.headersSent) finish(500);
		log.error('lean route request failed', { requestId, route: route.label, error: describeError(error) });
		res.destroy();
	}
}

/** The compatible APIs' view of Node's request: its headers as they are, its body read on demand. */
function nodeCompatRequest(req: IncomingMessage, res: ServerResponse): CompatRequest {
	const gone = new AbortController();
	res.once('close', () => {
		if (!res.writableFinished) gone.abort(new Error('The client closed the connection'));
	});
	let body: Promise<Buffer> | undefined;
	return {
		headers: {
			get(name) {
				const value = req.headers[name.toLowerCase()];
				if (value === undefined) return null;
				return Array.isArray(value) ? value.join(', ') : value;
			}
		},
		body: () => (body ??= readBody(req, MAX_BODY_BYTES)),
		signal: gone.signal
	};
}

/**
 * The body in one buffer, read up to one byte past `limit` (readJsonBody refuses it as too large
 * then, in the API's own error shape). A declared length past the limit is not read at all.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
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
