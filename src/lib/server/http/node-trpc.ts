import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError } from '@trpc/server';
import type { App } from '../app';
import { formatBytes } from '$lib/format-bytes';
import { authenticateRequest } from '../auth/authenticate';
import { describeError, log } from '../log';
import { recordRequest } from '../observability/request-log';
import { requestIdFor, requestIdHeader } from '../observability/request-id';
import { trpcEndpoint } from '../trpc/handler';
import { handleApiRequest, originAllowed } from './api-handler';
import { trpcBodyLimit } from './body-limit';
import {
	fetchHeaders,
	readBodyText,
	requestOrigin,
	streamBody,
	type NodeServerSettings
} from './node-request';
import { responseGone } from './client-signal';
import { nodeHeaders, writeResponse } from './write-response';
import { pipeToSocket } from './write-reply';
import { openLeanSubscription, type LeanSubscription } from '../trpc/lean-subscription';
import { answerLeanCall, leanCallTarget, refusedCall } from '../trpc/lean-call';

/** SvelteKit's id for the tRPC route, so the log lines and metrics read the same either way. */
const routeLabel = '/api/trpc/[...trpc]';

/**
 * Every tRPC request: the SDK's and the CLI's (a bearer token, a subscription's connectionParams, a
 * sign-in) and a browser's (its session cookie, renewed or cleared by prepareTrpcCall as SvelteKit's
 * hooks would; scripts/start.mjs adds the security headers the hooks add).
 */
export function isLeanTrpcRequest(pathname: string): boolean {
	return pathname.startsWith(`${trpcEndpoint}/`);
}

/**
 * One tRPC request on the lean route: the same handler as SvelteKit's route, after the same origin
 * guard (handleApiRequest), and the Response written to the socket without SvelteKit's pipeline.
 */
export async function serveTrpc(
	app: App,
	req: IncomingMessage,
	res: ServerResponse,
	settings: NodeServerSettings,
	address: string
): Promise<void> {
	const started = performance.now();
	const method = req.method ?? 'GET';
	const headers = fetchHeaders(req);
	const requestId = requestIdFor(headers);
	res.setHeader(requestIdHeader, requestId);
	let request: Request | null = null;
	const finish = (status: number) => {
		// The authentication the handler did for this Request is remembered: no second lookup.
		const auth = request ? authenticateRequest(app, request).catch(() => null) : Promise.resolve(null);
		void auth.then((found) =>
			recordRequest({
				requestId,
				method,
				route: routeLabel,
				status,
				ms: performance.now() - started,
				userId: found?.user.id ?? null
			})
		);
	};
	try {
		const hasBody = method !== 'GET' && method !== 'HEAD';
		const url = `${requestOrigin(req, settings)}${req.url}`;
		const parsedUrl = new URL(url);
		const call = leanCallTarget(parsedUrl, method, headers);
		// The larger limit of chats.import holds only where its body is read after the caller's checks.
		const bodyLimit = call ? trpcBodyLimit(parsedUrl.pathname, settings) : settings.bodySizeLimit;
		if (hasBody && Number(req.headers['content-length']) > bodyLimit) {
			const error = new TRPCError({
				code: 'PAYLOAD_TOO_LARGE',
				message: `The request is too large: at most ${formatBytes(bodyLimit)}.`
			});
			const reply = refusedCall(parsedUrl, requestId, error);
			res.writeHead(reply.status, nodeHeaders(reply.headers));
			finish(reply.status);
			res.end(reply.body);
			return;
		}
		// A refused origin goes the usual way below, which refuses it.
		if (call && originAllowed(app, method, headers, url)) {
			// The body is read when the procedure asks for its input, after the client's slot is taken.
			// The client's leaving is given to the call apart: a Request made with a signal follows it
			// through a controller of its own, which made the Request cost three times as much.
			request = new Request(url, { method, headers });
			const reply = await answerLeanCall(
				app,
				request,
				call,
				async () =>
					method === 'GET'
						? (parsedUrl.searchParams.get('input') ?? undefined)
						: readBodyText(req, bodyLimit),
				{ clientAddress: address, requestId, signal: responseGone(res) }
			);
			// The slot is given back once the reply is written, or now if the client has already left.
			if (reply.release) {
				if (res.destroyed) reply.release();
				else res.once('close', reply.release);
			}
			// A watched start has just begun its provider call: its request (a chain of promises in the
			// provider's SDK) leaves before this head is written and the events are watched, which put
			// the first token about 0.7 ms later when done first (interleaved A/B, 320 turns).
			if (reply.lines) await new Promise((resolve) => setImmediate(resolve));
			res.writeHead(reply.status, nodeHeaders(reply.headers));
			finish(reply.status);
			if (reply.lines) {
				const { lines } = reply;
				await pipeToSocket({ next: () => lines.next(), cancel: () => lines.return(undefined) }, res);
			} else res.end(reply.body);
			return;
		}
		request = new Request(url, {
			method,
			headers,
			body: hasBody ? streamBody(req, settings.bodySizeLimit) : undefined,
			signal: responseGone(res),
			// @ts-expect-error Node's fetch needs `duplex` for a streamed request body.
			duplex: 'half'
		});
		// A subscription's GET passes the origin guard (a safe method), so it needs none here.
		const subscription =
			method === 'GET'
				? await openLeanSubscription(app, request, { clientAddress: address, requestId })
				: null;
		if (subscription) {
			await writeSubscription(subscription, res, finish);
			return;
		}
		const response = await handleApiRequest(app, request, address, requestId);
		await writeResponse(response, res, finish);
	} catch (error) {
		log.error('lean tRPC request failed', { requestId, error: describeError(error) });
		if (!res.headersSent) finish(500);
		res.destroy();
	}
}

/** The subscription's head, then its frames as they come (a client that leaves cancels it). */
async function writeSubscription(
	subscription: LeanSubscription,
	res: ServerResponse,
	onHead: (status: number) => void
): Promise<void> {
	res.writeHead(200, nodeHeaders(subscription.headers));
	onHead(200);
	const { frames } = subscription;
	await pipeToSocket({ next: () => frames.next(), cancel: () => subscription.cancel() }, res);
}
