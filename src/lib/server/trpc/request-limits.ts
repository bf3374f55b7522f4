import { TRPCError } from '@trpc/server';
import type { App } from '../app';

/*
 * Fair use of the API: one client (a user, or an address when signed out) cannot take all of the
 * server's attention. Batches are capped (tRPC answers a larger one with 400); requests in flight
 * and open subscriptions are capped per client, beyond which the client gets TOO_MANY_REQUESTS
 * while everyone else is served as usual.
 *
 * The counts sit behind SlotCounter so that several app processes can later share them (Redis
 * INCR/DECR with a TTL); in one process a map is enough.
 */

export type RequestLimits = {
	/** Queries and mutations being answered at once, per client. */
	inFlightPerClient: number;
	/** Open subscriptions (SSE streams), per client: a few tabs and scripts' worth. */
	subscriptionsPerClient: number;
};

export const defaultRequestLimits: RequestLimits = { inFlightPerClient: 16, subscriptionsPerClient: 12 };

export interface SlotCounter {
	/** Takes a slot under `key` when fewer than `limit` are taken; says whether it did. */
	tryAcquire(key: string, limit: number): Promise<boolean>;
	release(key: string): Promise<void>;
}

export class MemorySlotCounter implements SlotCounter {
	private readonly taken = new Map<string, number>();

	async tryAcquire(key: string, limit: number): Promise<boolean> {
		const count = this.taken.get(key) ?? 0;
		if (count >= limit) return false;
		this.taken.set(key, count + 1);
		return true;
	}

	async release(key: string): Promise<void> {
		const count = (this.taken.get(key) ?? 0) - 1;
		// Deleted at zero, so idle clients leave nothing behind.
		if (count > 0) this.taken.set(key, count);
		else this.taken.delete(key);
	}
}

export type RequestLimiter = { limits: RequestLimits; slots: SlotCounter };

const limiters = new WeakMap<App, RequestLimiter>();

export function requestLimiter(app: App): RequestLimiter {
	let limiter = limiters.get(app);
	if (!limiter) {
		limiter = { limits: defaultRequestLimits, slots: new MemorySlotCounter() };
		limiters.set(app, limiter);
	}
	return limiter;
}

/** Replaces some limits of one app (tests, and operators tuning them). */
export function configureRequestLimits(app: App, limits: Partial<RequestLimits>): void {
	const limiter = requestLimiter(app);
	limiter.limits = { ...limiter.limits, ...limits };
}

export type RequestKind = 'request' | 'subscription';

/** An SSE subscription (EventSource sends this Accept header) or anything else. */
export function requestKind(req: Request): RequestKind {
	return req.method === 'GET' && (req.headers.get('accept') ?? '').includes('text/event-stream')
		? 'subscription'
		: 'request';
}

/**
 * Takes a slot for this request; null when the client is at its limit. The returned function gives
 * the slot back and may be called more than once.
 */
export async function acquireSlot(app: App, client: string, kind: RequestKind): Promise<(() => void) | null> {
	const { limits, slots } = requestLimiter(app);
	const key = `${kind}:${client}`;
	const limit = kind === 'subscription' ? limits.subscriptionsPerClient : limits.inFlightPerClient;
	if (!(await slots.tryAcquire(key, limit))) return null;
	let held = true;
	return () => {
		if (!held) return;
		held = false;
		void slots.release(key);
	};
}

/** The refusal for a client at its limit. */
export function tooManyRequests(kind: RequestKind): TRPCError {
	return new TRPCError({
		code: 'TOO_MANY_REQUESTS',
		message:
			kind === 'subscription'
				? 'Too many open streams. Close one and try again.'
				: 'Too many requests at once. Wait for some to finish.'
	});
}

/**
 * The response, with `release` called once its body has been sent or abandoned. Bodies that are
 * complete already (JSON) release at once; streamed ones (SSE, JSON lines) when they end.
 */
export function releaseWhenSent(response: Response, release: () => void): Response {
	const streamed = /text\/event-stream|application\/jsonl/.test(response.headers.get('content-type') ?? '');
	if (!response.body || !streamed) {
		release();
		return response;
	}
	const reader = response.body.getReader();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			try {
				const { done, value } = await reader.read();
				if (!done) return controller.enqueue(value);
				release();
				controller.close();
			} catch (error) {
				release();
				controller.error(error);
			}
		},
		cancel(reason) {
			release();
			return reader.cancel(reason);
		}
	});
	return new Response(body, {
		status: response.status,
		statusText: response.statusText,
		headers: response.headers
	});
}
