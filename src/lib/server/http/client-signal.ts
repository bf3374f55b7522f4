import type { IncomingMessage, ServerResponse } from 'node:http';

export type ClientSignal = {
	/** Aborts when the client goes away before its answer is out. */
	signal: AbortSignal;
	/** Stops watching the connection: call it once the answer is out. */
	dispose(): void;
};

/**
 * adapter-node aborts `request.signal` only while the request body is being read; once it is read,
 * a client that hangs up (an SDK's abort, its timeout) goes unnoticed, and a non-streamed answer
 * would keep its provider call running. So the connection itself is watched too: adapter-node hands
 * its Node request to the app as `platform.req`. The listener is removed by `dispose`, since a
 * kept-alive connection outlives the request.
 */
export function clientSignal(request: Request, connection?: IncomingMessage): ClientSignal {
	if (!connection) return { signal: request.signal, dispose: () => {} };
	const socket = connection.socket;
	const closed = new AbortController();
	const onClose = () => closed.abort(new Error('The client closed the connection'));
	if (socket.destroyed) onClose();
	else socket.once('close', onClose);
	return {
		signal: AbortSignal.any([request.signal, closed.signal]),
		dispose: () => void socket.off('close', onClose)
	};
}

/**
 * The same for a request served on Node's own response (the lean route): aborts when the response
 * closes before it was finished. Nothing to dispose: the response belongs to this request alone.
 */
export function responseGone(res: ServerResponse): AbortSignal {
	const gone = new AbortController();
	res.once('close', () => {
		if (!res.writableFinished) gone.abort(new Error('The client closed the connection'));
	});
	return gone.signal;
}
