import { endCall, type StartedCall } from '../providers/resilient-stream';
import type { ChatRequest } from '../providers/types';
import type { ResolvedModel } from '../services/provider-manager';

/**
 * A chat turn's first provider call, begun while the turn is being saved: the SDK builds its request
 * (and our adapter its parameters) while the database commits, and the request leaves once the save
 * is done (send-gate.ts), so the user's message is still saved before the provider hears of it. A
 * save that fails fails the call before anything is sent. The generation's first attempt takes the
 * call; one nobody takes is ended with `cancel()`.
 */
export type HeadStart = {
	/**
	 * The call and its request (as the attempt would have prepared it), for the one attempt of the
	 * candidate it was begun for; null for another candidate, or once taken or cancelled.
	 */
	take(target: ResolvedModel): { call: StartedCall; request: ChatRequest } | null;
	/** Ends the call unless an attempt has taken it. */
	cancel(): void;
};

export function startAhead(target: ResolvedModel, request: ChatRequest, saved: Promise<unknown>): HeadStart {
	const upstream = new AbortController();
	const stream = target.provider.stream(request, upstream.signal, { sendAfter: saved });
	const iterator = stream[Symbol.asyncIterator]();
	const first = iterator.next();
	// A refused save rejects it before anything was sent; whoever takes the call reads the rest.
	first.catch(() => {});
	let open = true;
	return {
		take(candidate) {
			if (!open || candidate !== target) return null;
			open = false;
			return { call: { iterator, upstream, first }, request };
		},
		cancel() {
			if (!open) return;
			open = false;
			endCall({ upstream, iterator });
		}
	};
}
