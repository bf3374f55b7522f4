/*
 * A provider call may be prepared before the turn it answers is saved (generation/head-start.ts: the
 * SDK builds its request while the database commits), but nothing may leave for the provider until
 * then. The gate is the save: it rides in the call's fetch options, which every SDK passes on to the
 * guarded fetch it was given, and that fetch waits for it; a save that fails fails the fetch, so the
 * request is never sent.
 *
 * It travels with the call rather than in an AsyncLocalStorage: on Node 20 every live
 * AsyncLocalStorage costs every promise of the process a hook's work, the relay's per-delta path
 * included (an interleaved A/B in bench/results/history.md).
 */

const SEND_GATE = Symbol('switchboard.sendGate');

type GatedInit = RequestInit & { [SEND_GATE]?: Promise<unknown> };

/** Fetch options as the SDKs take them per call: the request's own fields are theirs to set. */
type ExtraFetchOptions = Omit<RequestInit, 'method' | 'body' | 'headers' | 'signal'>;

/** Fetch options (for an SDK call's `fetchOptions`) that hold its requests until `gate` resolves. */
export function heldUntil(gate: Promise<unknown> | undefined): ExtraFetchOptions | undefined {
	return gate ? ({ [SEND_GATE]: gate } as ExtraFetchOptions) : undefined;
}

/** What a request must wait for before it leaves, if anything: read by the guarded fetch. */
export function sendGateOf(init: RequestInit | undefined): Promise<unknown> | undefined {
	return (init as GatedInit | undefined)?.[SEND_GATE];
}
