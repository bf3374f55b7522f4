import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

/** Statuses whose Response must have no body (the constructor refuses one). */
const nullBodyStatuses = new Set([204, 205, 304]);

type Method = Dispatcher.HttpMethod;

/**
 * fetch for the provider SDKs, on undici's dispatcher API instead of Node's fetch. Node's fetch
 * builds a Request with guarded Headers per call, turns even a string body into a web stream and
 * sends it through an async iterator, chunk by chunk: a marked build put the app's CPU from the
 * SDK's fetch to the response headers at 1.3 ms with Node's fetch and 0.8 ms this way, on the path
 * to the first token. Here a string body goes out in one write with the head, and the SDK gets a
 * plain Response around the streamed body, whose Node stream our own readers may take instead
 * (takeNodeBody).
 *
 * It keeps the contract the SDKs rely on: status, headers (every value of a repeated one), a
 * streamed body (cancelling it ends the request), no redirect followed (as `redirect: 'manual'`:
 * the guarded fetch decides), a network failure rejects with TypeError('fetch failed') carrying
 * its cause, and an abort with the signal's reason. A body other than a string or bytes, or a
 * Request as input, goes through Node's fetch on the same dispatcher.
 */
export function dispatcherFetch(dispatcher: Dispatcher): typeof fetch {
	return async (input, init = {}) => {
		const body = init.body;
		const plainBody =
			body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
		if (input instanceof Request || !plainBody) {
			// Node's fetch takes an undici dispatcher; the DOM RequestInit type does not know the field.
			return fetch(input, { ...init, dispatcher } as RequestInit);
		}
		const url = input instanceof URL ? input : new URL(input);
		const headers: Record<string, string> = {};
		new Headers(init.headers).forEach((value, name) => {
			headers[name] = value;
		});
		let answer: Dispatcher.ResponseData;
		try {
			answer = await dispatcher.request({
				origin: url.origin,
				path: url.pathname + url.search,
				method: (init.method ?? 'GET').toUpperCase() as Method,
				headers,
				body: body ?? null,
				signal: init.signal ?? undefined
			});
		} catch (error) {
			if (init.signal?.aborted) throw init.signal.reason;
			throw new TypeError('fetch failed', { cause: error });
		}
		const responseHeaders = new Headers();
		for (const [name, value] of Object.entries(answer.headers)) {
			if (Array.isArray(value)) for (const one of value) responseHeaders.append(name, one);
			else if (value !== undefined) responseHeaders.append(name, value);
		}
		if (nullBodyStatuses.has(answer.statusCode)) {
			// Read to its (empty) end, so the connection goes back to the pool.
			answer.body.dump().catch(() => {});
			return new Response(null, { status: answer.statusCode, headers: responseHeaders });
		}
		const held = new HeldBody(answer.body, init.signal);
		const response = new Response(held.web(), { status: answer.statusCode, headers: responseHeaders });
		heldBodies.set(response, held);
		return response;
	};
}

const heldBodies = new WeakMap<Response, HeldBody>();

/**
 * The body of a Response this fetch made, as the Node stream undici gives it, for a reader of ours
 * (response-text.ts, under the SSE readers): the web stream around it costs each chunk a read
 * request, a promise and a queue step on the relay's per-delta path. Null when the Response is not one of
 * ours or its web body has been read or cancelled; once taken, the web body is not to be read.
 * Reading it, a failure reads as the web body's would (`failure`).
 */
export function takeNodeBody(response: Response): Readable | null {
	return heldBodies.get(response)?.take() ?? null;
}

/**
 * What a failure of a taken body is thrown as, the same as the web body reports it: the signal's
 * reason after an abort, else TypeError('terminated') with the cause.
 */
export function bodyFailure(response: Response, error: unknown): unknown {
	return heldBodies.get(response)?.failure(error) ?? error;
}

/**
 * A response body that either the web stream of the Response or one of our readers takes, not both.
 * An error before either takes it is kept (an 'error' with no listener would end the process).
 */
class HeldBody {
	#taker: 'web' | 'node' | null = null;
	#early: Error | null = null;
	readonly #keepEarly = (error: Error) => {
		this.#early = error;
	};

	constructor(
		readonly body: Readable,
		readonly signal: AbortSignal | null | undefined
	) {
		body.once('error', this.#keepEarly);
	}

	take(): Readable | null {
		if (this.#taker !== null) return null;
		// The early listener stays: an error before the reader's own listeners are on stays handled, and
		// a body that failed already is destroyed with its error, which the reader's iteration throws.
		this.#taker = 'node';
		return this.body;
	}

	failure(error: unknown): unknown {
		if (this.signal?.aborted) return this.signal.reason;
		return new TypeError('terminated', { cause: error });
	}

	/**
	 * The Node body as the web stream a Response carries, read as the consumer pulls (the socket is
	 * paused meanwhile); it starts reading at the first pull, so a reader of ours can take it instead.
	 * Cancelling it destroys the body, which ends the request. A failure mid-body reads as Node's fetch
	 * reports it (failure()). (Node 20's Readable.toWeb can enqueue after its stream closed, and throw.)
	 */
	web(): ReadableStream<Uint8Array> {
		const { body } = this;
		let settled = false;
		const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: unknown) => {
			if (settled) return;
			settled = true;
			controller.error(this.failure(error));
		};
		return new ReadableStream<Uint8Array>(
			{
				pull: (controller) => {
					if (this.#taker === null) {
						this.#taker = 'web';
						body.off('error', this.#keepEarly);
						if (this.#early) return fail(controller, this.#early);
						body.on('data', (chunk: Buffer) => {
							if (settled) return;
							controller.enqueue(chunk);
							if ((controller.desiredSize ?? 0) <= 0) body.pause();
						});
						body.once('end', () => {
							if (settled) return;
							settled = true;
							controller.close();
						});
						body.once('error', (error: Error) => fail(controller, error));
					}
					body.resume();
				},
				cancel: () => {
					settled = true;
					if (this.#taker === 'node') return;
					this.#taker = 'web';
					body.destroy();
				}
			},
			// Nothing is read ahead: the first read starts the body (and claims it for the web stream).
			{ highWaterMark: 0 }
		);
	}
}
