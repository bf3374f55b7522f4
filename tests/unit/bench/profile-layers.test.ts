import { describe, expect, it } from 'vitest';
import { layerOfPath, layerOfStack, type Frame } from '../../../bench/lib/profile-layers';

const frame = (url: string, functionName = 'f'): Frame => ({
	functionName,
	url,
	lineNumber: 0,
	columnNumber: 0
});

describe('bench profile layers', () => {
	it('names the layer of a script by its path', () => {
		expect(layerOfPath('file:///repo/node_modules/@electric-sql/pglite/dist/index.js')).toMatch(/^PGlite/);
		expect(layerOfPath('wasm://wasm/0123abcd')).toMatch(/^PGlite/);
		expect(layerOfPath('file:///repo/node_modules/postgres/src/connection.js')).toMatch(/^postgres\.js/);
		expect(layerOfPath('file:///repo/node_modules/drizzle-orm/pg-core/dialect.js')).toMatch(/^Drizzle/);
		expect(layerOfPath('node:internal/deps/undici/undici')).toMatch(/^OpenAI SDK and undici/);
		expect(layerOfPath('file:///repo/node_modules/@trpc/server/dist/index.mjs')).toMatch(/^tRPC/);
		expect(layerOfPath('../../../node_modules/@sveltejs/kit/src/runtime/server/respond.js')).toMatch(
			/^SvelteKit/
		);
		expect(layerOfPath('../../../.svelte-kit/output/server/chunks/app.js')).toMatch(/^app code/);
		expect(layerOfPath('../../../.svelte-kit/output/server/index.js')).toMatch(/^SvelteKit/);
		expect(layerOfPath('file:///repo/node_modules/zod/v4/core/core.js')).toMatch(/^other libraries/);
		expect(layerOfPath('node:internal/async_hooks')).toMatch(/^async_hooks/);
		expect(layerOfPath('node:internal/streams/readable')).toMatch(/^Node internals/);
	});

	it('charges a sample to its innermost frame with a script (builtins count for their caller)', () => {
		const drizzle = frame('file:///repo/node_modules/drizzle-orm/session.js');
		expect(layerOfStack([frame('', 'JSONParse'), drizzle, frame('node:internal/timers')])).toMatch(
			/^Drizzle/
		);
		expect(layerOfStack([frame('', '(idle)')])).toBe('idle');
		expect(layerOfStack([frame('', '(garbage collector)')])).toBe('garbage collector');
		expect(layerOfStack([frame('', '(program)')])).toMatch(/^V8 and native/);
	});
});
