import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The layers the app's CPU is split into, in the order the report lists them. */
export const layers = [
	'PGlite (Postgres in WebAssembly)',
	'postgres.js (the Postgres driver)',
	'Drizzle (building SQL, mapping rows)',
	'OpenAI SDK and undici (the upstream call, fetch)',
	'tRPC and superjson (procedures, SSE framing)',
	'SvelteKit (routing, hooks, responses)',
	'app code (src/: services, auth, generations)',
	'other libraries (zod, argon2, …)',
	'async_hooks (promise hooks of AsyncLocalStorage)',
	'Node internals (http, streams, timers)',
	'garbage collector',
	'V8 and native (program)'
] as const;
export type Layer = (typeof layers)[number];

/** By the path of the frame's script; the app's own bundle (build/) is resolved through its source maps. */
const byPath: [RegExp, Layer][] = [
	[/@electric-sql\/pglite|^wasm:/, 'PGlite (Postgres in WebAssembly)'],
	[/node_modules\/postgres\//, 'postgres.js (the Postgres driver)'],
	[/drizzle-orm/, 'Drizzle (building SQL, mapping rows)'],
	[/node_modules\/openai\/|undici/, 'OpenAI SDK and undici (the upstream call, fetch)'],
	[/@trpc\/|superjson/, 'tRPC and superjson (procedures, SSE framing)'],
	// Vite's server output (mapped to from build/, no maps of its own): the app's modules, compiled…
	[/\.svelte-kit\/output\/server\/(chunks|entries|nodes)\//, 'app code (src/: services, auth, generations)'],
	// …and SvelteKit's runtime (index.js, internal.js) and adapter-node's entry.
	[/@sveltejs\/kit|\.svelte-kit\//, 'SvelteKit (routing, hooks, responses)'],
	[/(^|\/)src\//, 'app code (src/: services, auth, generations)'],
	[/node_modules\//, 'other libraries (zod, argon2, …)'],
	// Every promise pays these while an AsyncLocalStorage is in use (SvelteKit's getRequestEvent on Node 20).
	[/^node:(internal\/)?async_hooks/, 'async_hooks (promise hooks of AsyncLocalStorage)'],
	[/^node:|^internal\//, 'Node internals (http, streams, timers)']
];

export function layerOfPath(file: string): Layer | null {
	return byPath.find(([pattern]) => pattern.test(file))?.[1] ?? null;
}

/** Source maps of the built app's chunks, loaded once each (null when a chunk has none). */
const maps = new Map<string, SourceMap | null>();

function sourceMapFor(url: string): SourceMap | null {
	if (!maps.has(url)) {
		let map: SourceMap | null = null;
		try {
			const file = `${fileURLToPath(url)}.map`;
			if (existsSync(file)) map = new SourceMap(JSON.parse(readFileSync(file, 'utf8')));
		} catch {
			map = null;
		}
		maps.set(url, map);
	}
	return maps.get(url)!;
}

/** The original file of a position in the build (adapter-node bundles SvelteKit and src/ into build/). */
function originalPath(url: string, line: number, column: number): string | null {
	const entry = sourceMapFor(url)?.findEntry(line, column);
	return entry && 'originalSource' in entry ? entry.originalSource : null;
}

export type Frame = { functionName: string; url: string; lineNumber: number; columnNumber: number };

/**
 * The layer one sample is charged to, flame-graph style by self time: the innermost frame that has a
 * script decides (a builtin such as JSON.parse has none and counts for its caller).
 */
export function layerOfStack(frames: readonly Frame[]): Layer | 'idle' {
	const leaf = frames[0]?.functionName;
	if (leaf === '(idle)') return 'idle';
	if (leaf === '(garbage collector)') return 'garbage collector';
	for (const frame of frames) {
		if (!frame.url) continue;
		if (frame.url.startsWith('file://') && frame.url.includes('/build/')) {
			const original = originalPath(frame.url, frame.lineNumber, frame.columnNumber);
			return (original ? layerOfPath(original) : null) ?? 'SvelteKit (routing, hooks, responses)';
		}
		return layerOfPath(frame.url) ?? 'Node internals (http, streams, timers)';
	}
	return 'V8 and native (program)';
}
