import { routerConfig as config } from './lean-procedure';

/*
 * What the lean route writes for a value: the router's transformer (superjson) output, with a fast
 * way for the values nearly every answer and event is (plain JSON). superjson walks every value to
 * find what JSON cannot carry, building paths and a result tree as it goes; a stream relays a delta
 * per line or frame, and that walk was a few per cent of the app's CPU per turn. For a value made
 * only of null, strings, booleans, finite numbers, arrays and plain objects, each met once, its
 * output is `{ json: value }`: this checks that and returns it, and leaves anything else to superjson
 * (undefined, -0, NaN, a Date, a Map, a shared reference, a `__proto__` key, …).
 */

/** Keys superjson refuses or writes down (prototype pollution): left to it. */
const GUARDED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainJson(value: unknown, seen: Set<object>): boolean {
	if (value === null) return true;
	switch (typeof value) {
		case 'string':
		case 'boolean':
			return true;
		case 'number':
			return Number.isFinite(value) && !Object.is(value, -0);
		case 'object':
			break;
		default:
			return false;
	}
	// Met twice: superjson records the shared reference in its meta.
	if (seen.has(value)) return false;
	seen.add(value);
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], seen)) return false;
		return true;
	}
	const prototype = Object.getPrototypeOf(value);
	if (prototype !== Object.prototype && prototype !== null) return false;
	for (const key of Object.keys(value)) {
		if (GUARDED_KEYS.has(key) || !isPlainJson((value as Record<string, unknown>)[key], seen)) return false;
	}
	return true;
}

/** The router transformer's output for `value`, the same bytes once stringified. */
export function serializeOutput(value: unknown): unknown {
	return isPlainJson(value, new Set()) ? { json: value } : config.transformer.output.serialize(value);
}

/** The router's config with serializeOutput as its output transformer (for tRPC's own helpers). */
export const leanOutputConfig: typeof config = {
	...config,
	transformer: {
		input: config.transformer.input,
		output: { serialize: serializeOutput, deserialize: config.transformer.output.deserialize }
	}
};
