import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * A provider call may be prepared before the turn it answers is saved (generation/head-start.ts: the
 * SDK builds its request while the database commits), but nothing may leave for the provider until
 * then. The gate is the save: the guarded fetch every SDK client is given waits for it, and a save
 * that fails fails the fetch, so the request is never sent.
 */
const gates = new AsyncLocalStorage<Promise<unknown>>();

/** Runs `call`; any provider request it makes, however deep in an SDK, leaves once `gate` resolves. */
export function holdingSends<T>(gate: Promise<unknown>, call: () => T): T {
	return gates.run(gate, call);
}

/** What the current call's requests must wait for, if anything. */
export function sendGate(): Promise<unknown> | undefined {
	return gates.getStore();
}
