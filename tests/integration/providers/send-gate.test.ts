import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	startAnthropicEmulator,
	startOllamaEmulator,
	startOpenAIEmulator,
	type Emulator
} from '../../emulators';
import type { ProviderKind } from '$lib/server/providers/types';
import { collect, providerFor, user } from './harness';

/*
 * A call begun ahead of its turn's save (generation/head-start.ts) hands each adapter the save as
 * `sendAfter`; the adapter passes it through its SDK to the guarded fetch, which holds the request.
 * Checked on the wire, for every SDK: nothing reaches the emulator before the gate resolves, and
 * nothing ever does when it rejects.
 */
const cases: { kind: ProviderKind; start: () => Promise<Emulator>; model: string }[] = [
	{ kind: 'openai', start: startOpenAIEmulator, model: 'gpt-4.1-mini' },
	{ kind: 'anthropic', start: startAnthropicEmulator, model: 'claude-sonnet-4-6' },
	{ kind: 'ollama', start: startOllamaEmulator, model: 'llama3.2:1b' }
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(cases)('a $kind call held by its send gate', ({ kind, start, model }) => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await start();
	});
	afterAll(() => emu.close());
	const ask = { model, messages: [user('hi')], maxTokens: 64 };

	it('leaves only once the gate resolves', async () => {
		emu.reset();
		let release = () => {};
		const saved = new Promise<void>((resolve) => (release = resolve));
		const answer = collect(
			providerFor(kind, emu).stream(ask, new AbortController().signal, { sendAfter: saved })
		);
		await sleep(50);
		expect(emu.requests).toHaveLength(0);
		release();
		const out = await answer;
		expect(out.error).toBeUndefined();
		expect(out.text).toContain('You said: hi');
		expect(emu.requests).toHaveLength(1);
	});

	it('never leaves when the gate rejects, and the stream fails', async () => {
		emu.reset();
		const refused = Promise.reject(new Error('the turn could not be saved'));
		const out = await collect(
			providerFor(kind, emu).stream(ask, new AbortController().signal, { sendAfter: refused })
		);
		expect(out.error).toBeDefined();
		expect(out.text).toBe('');
		await sleep(20);
		expect(emu.requests).toHaveLength(0);
	});
});
