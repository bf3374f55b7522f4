// An AsyncLocalStorage that is on only while one of its runs is under way, for the server of
// scripts/start.mjs. Node 20 gives every promise of a process with a live AsyncLocalStorage an init
// hook that copies the storage's value onto it, and a storage stays live from its first run() until
// disable(), which nothing calls. SvelteKit keeps one for getRequestEvent(): after the first page or
// /healthz, every promise of every turn and delta on the lean route (which never runs inside it) paid
// that hook. This one turns itself off once its last run has settled, and on again at the next.
// Work a request leaves running after its handler has settled then reads no value, as on a platform
// without AsyncLocalStorage (which SvelteKit supports); the app itself never calls getRequestEvent().
import asyncHooks from 'node:async_hooks';
import { syncBuiltinESMExports } from 'node:module';

const { AsyncLocalStorage } = asyncHooks;

/**
 * @template T
 * @extends {AsyncLocalStorage<T>}
 */
export class IdleAsyncLocalStorage extends AsyncLocalStorage {
	/** Runs not yet settled: a run that returns a promise lasts until it settles. */
	#running = 0;
	/** enterWith() sets a value with no end, so the storage then stays on as Node's would. */
	#pinned = false;

	/**
	 * @template R
	 * @template {unknown[]} A
	 * @param {T} store
	 * @param {(...args: A) => R} callback
	 * @param {A} args
	 * @returns {R}
	 */
	run(store, callback, ...args) {
		this.#running++;
		/** @type {R} */
		let result;
		try {
			result = super.run(store, callback, ...args);
		} catch (error) {
			this.#settled();
			throw error;
		}
		// Native promises only: calling then() on another thenable may start its work (a query builder's).
		// The caller awaits the promise itself; these handlers only count it.
		if (result instanceof Promise) result.then(this.#settled, this.#settled);
		else this.#settled();
		return result;
	}

	/** @param {T} store */
	enterWith(store) {
		this.#pinned = true;
		super.enterWith(store);
	}

	/** A run has ended; an arrow so that it can be handed to then() as it is. */
	#settled = () => {
		this.#running--;
		if (this.#running === 0 && !this.#pinned) this.disable();
	};
}

/**
 * Makes every AsyncLocalStorage created from now on an IdleAsyncLocalStorage: SvelteKit creates its
 * own from `node:async_hooks` when its server module loads, so this runs before the build is imported.
 */
export function installIdleAsyncStorage() {
	asyncHooks.AsyncLocalStorage = IdleAsyncLocalStorage;
	// The ESM view of the builtin (`import('node:async_hooks')`, SvelteKit's) follows the CJS one.
	syncBuiltinESMExports();
}
