import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app';
import { compatCallerId } from '../compat/authenticate';
import type { CompatRequest } from '../compat/compat-request';
import { compatRoute, type CompatRoute } from '../compat/compat-routes';
import { MAX_BODY_BYTES } from '../compat/read-body';
import { describeError, log } from '../log';
import { recordRequest } from '../observability/request-log';
import { requestIdFor, requestIdHeader } from '../observability/request-id';
import { clientAddress, nodeServerSettings, readBody, type NodeServerSettings } from './node-request';
import { isLeanTrpcRequest, serveTrpc } from './node-trpc';
import { responseGone } from './client-signal';
import { writeReply } from './write-reply';

/**
 * The lean route: API traffic answered on Node's own request and response, ahead of SvelteKit.
 * A request through SvelteKit pays for a web Request with a streamed body, route matching, the
 * hook sequence and a web-stream response pumped to the socket (about 1.5 ms of a /v1 turn, more
 * than the whole relay costs). Here:
 * - the compatible APIs (/v1) read the headers and a buffered body straight from Node's request,
 *   and their SSE frames go to the socket as they come, with no web Request, Headers or stream;
 * - tRPC requests (the SDK's and the CLI's, and the web UI's with its session cookie) get the same
 *   origin guard and tRPC handler, and their answer is written to the socket directly (node-trpc.ts).
 * What the hooks do for these paths is done here too: the security headers (set by
 * scripts/start.mjs on every response), the request id, log line and metric, the client address
 * as adapter-node reads it, the session cookie renewed or cleared (prepareTrpcCall), and a 503
 * while the app is not up (by leaving the request to SvelteKit).
 * The compatible APIs ignore cookies, so the origin guard has nothing to guard on them.
 */
export type NodeRoutes = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Where the app offers its lean route to the Node server that scripts/start.mjs runs. */
export const nodeRoutesKey = Symbol.for('switchboard.node-routes');

/** Offers the lean route to scripts/start.mjs's server; `currentApp` is asked on every request. */
export function installNodeRoutes(currentApp: () => App | null | undefined): void {
	const settings = nodeServerSettings(process.env);
	(globalThis as { [nodeRoutesKey]?: NodeRoutes })[nodeRoutesKey] = (req, res) =>
		serveNodeRoute(currentApp(), req, res, settings);
}

/** Answers the request when it is one of the lean routes (true), else leaves it untouched (false). */
export function serveNodeRoute(
	app: App | null | undefined,
	req: IncomingMessage,
	res: ServerResponse,
	settings: NodeServerSettings
): boolean {
	const target = req.url ?? '';
	if (!app || !target.startsWith('/')) return false;
	const query = target.indexOf('?');
	const pathname = query < 0 ? target : target.slice(0, query);
	const route = compatRoute(req.method ?? 'GET', pathname);
	if (route) {
		void serveCompat(app, route, req, res);
		return true;
	}
	if (!isLeanTrpcRequest(pathname)) return false;
	const address = clientAddress(req, settings);
	if (address === null) return false;
	void serveTrpc(app, req, res, settings, address);
	return true;
}

async function serveCompat(app: App, route: CompatRoute, req: IncomingMessage, res: ServerResponse) {
	const started = performance.now();
	const request = nodeCompatRequest(req, res);
	const requestId = requestIdFor(request.headers);
	res.setHeader(requestIdHeader, requestId);
	const finish = (status: number) => {
		const ms = performance.now() - started;
		// The log line and the metric wait until the first frame is on its way: a stream's head is
		// written just before its first token, and they are not on that token's path.
		setImmediate(() =>
			recordRequest({
				requestId,
				method: req.method ?? 'GET',
				route: route.label,
				status,
				ms,
				userId: compatCallerId(request)
			})
		);
	};
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

/** Bodies up to this size are read as soon as the request arrives. */
const EAGER_BODY_BYTES = 64 * 1024;

/** The compatible APIs' view of Node's request: its headers as they are, its body read on demand. */
function nodeCompatRequest(req: IncomingMessage, res: ServerResponse): CompatRequest {
	let body: Promise<Buffer> | undefined;
	// A small declared body (every ordinary chat request) is read while the caller is authenticated,
	// so it is usually in by the time it is parsed; a larger one is read only once authenticated.
	if (Number(req.headers['content-length']) <= EAGER_BODY_BYTES) {
		body = readBody(req, MAX_BODY_BYTES);
		body.catch(() => {});
	}
	return {
		headers: {
			get(name) {
				const value = req.headers[name.toLowerCase()];
				if (value === undefined) return null;
				return Array.isArray(value) ? value.join(', ') : value;
			}
		},
		body: () => (body ??= readBody(req, MAX_BODY_BYTES)),
		signal: responseGone(res)
	};
}
