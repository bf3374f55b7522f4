import type { IncomingMessage } from 'node:http';
import { clientSignal } from '../http/client-signal';
import { CompatError } from './compat-error';
import { toResponse, type CompatReply } from './reply';

/**
 * What the compatible APIs read of a request, whichever server received it: the Node server's lean
 * route builds it straight from Node's request (http/node-routes.ts: no web Request, Headers or body
 * stream to make per call), SvelteKit's routes from their Request (fromFetchRequest).
 */
export type CompatRequest = {
	/** The request's headers (lowercase names). */
	headers: Pick<Headers, 'get'>;
	/**
	 * The body, read whole when first asked for. A body past MAX_BODY_BYTES may come back cut one
	 * byte past that limit (readJsonBody refuses it then); a declared length past it is not read.
	 */
	body(): Promise<Uint8Array>;
	/** Aborts when the client goes away before its answer is out. */
	signal: AbortSignal;
};

/**
 * A SvelteKit Request as a CompatRequest; `connection` (adapter-node's `platform.req`) tells when the
 * client hangs up. `dispose` stops watching the connection once the answer is out.
 */
function fromFetchRequest(
	request: Request,
	connection?: IncomingMessage
): { request: CompatRequest; dispose(): void } {
	const client = clientSignal(request, connection);
	return {
		request: { headers: request.headers, body: () => fetchBody(request), signal: client.signal },
		dispose: client.dispose
	};
}

/**
 * adapter-node errors a body past its BODY_SIZE_LIMIT (512 KB unless set) with SvelteKit's 413
 * error; its message says only sizes, so it can be shown. Any other read failure (the client left
 * mid-body) stays what it is.
 */
async function fetchBody(request: Request): Promise<Uint8Array> {
	try {
		return new Uint8Array(await request.arrayBuffer());
	} catch (error) {
		const status = (error as { status?: unknown } | null)?.status;
		if (status !== 413) throw error;
		const detail = error instanceof Error && error.message ? ` ${error.message}` : '';
		throw new CompatError('too_large', `The request is larger than this server accepts.${detail}`, {
			cause: error
		});
	}
}

/** A SvelteKit route's answer from a compatible-API handler (the built app answers on the lean route). */
export async function answerFetch(
	request: Request,
	connection: IncomingMessage | undefined,
	handle: (request: CompatRequest) => Promise<CompatReply>
): Promise<Response> {
	const compat = fromFetchRequest(request, connection);
	try {
		return toResponse(await handle(compat.request));
	} finally {
		compat.dispose();
	}
}
