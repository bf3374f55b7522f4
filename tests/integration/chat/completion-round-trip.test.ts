import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newClientId } from '$lib/schemas/ids';
import { errorOf } from '../../helpers/auth-client';
import { collectStream, textOf, useChatHarness, watchBeforeStart } from '../../helpers/chat-harness';

// Short enough that the "nothing came" cases end quickly; the failure case must end well before it.
const h = useChatHarness({ generation: { awaitStartMs: 1_000 } });
const hi = [{ role: 'user' as const, content: 'Hi' }];

/** A waiting completion stream the server holds before any start. */
const watchBeforeCompletion = (client: typeof h.client, generationId: string) =>
	watchBeforeStart(h.app, client, generationId, { completion: true });

describe('one round trip for a streamed completion: the stream opens in parallel with the start', () => {
	it('streams a completion whose start arrives after its subscription, under the id the client chose', async () => {
		h.emulators.openai.script({ chunks: ['One ', 'round ', 'trip.'] });
		const generationId = newClientId();
		const { watching } = await watchBeforeCompletion(h.client, generationId);
		const started = await h.client.completions.start.mutate({
			providerId: 'openai',
			modelId: 'gpt-4.1-mini',
			messages: hi,
			generationId
		});
		expect(started).toEqual({ generationId });
		const events = await watching;
		expect(events.map((e) => e.event.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done']);
		expect(textOf(events)).toBe('One round trip.');
		expect(h.app.starts.waiting).toBe(0);
	});

	it('a start that is refused ends its waiting subscription with the same error, without waiting it out', async () => {
		const generationId = newClientId();
		const { watching } = await watchBeforeCompletion(h.client, generationId);
		const refused = await errorOf(
			h.client.completions.start.mutate({
				providerId: 'openai',
				modelId: 'no-such-model',
				messages: hi,
				generationId
			})
		);
		expect(refused.code).toBe('BAD_REQUEST');
		expect(await errorOf(watching)).toMatchObject({ code: refused.code, message: refused.message });
		expect(h.app.starts.waiting).toBe(0);
	});

	it("another user's waiting subscription ends exactly like one for an id that never existed", async () => {
		h.emulators.openai.script({ chunks: Array(20).fill('secret '), paceMs: 20 });
		const { client: other } = await h.member();
		const generationId = newClientId();
		const { watching: snooping } = await watchBeforeCompletion(other, generationId);
		const { watching: missing } = await watchBeforeCompletion(other, newClientId());
		await h.client.completions.start.mutate({ providerId: 'openai', messages: hi, generationId });
		const [snooped, nothing] = await Promise.all([errorOf(snooping), errorOf(missing)]);
		expect(snooped).toEqual(nothing);
		expect(snooped.code).toBe('NOT_FOUND');
		await h.app.generations.outcome(generationId);
		expect(h.app.starts.waiting).toBe(0);
	});

	it('refuses an id in use, and one that is not a UUIDv7', async () => {
		h.emulators.openai.script({ chunks: Array(20).fill('long '), paceMs: 20 });
		const generationId = newClientId();
		await h.client.completions.start.mutate({ providerId: 'openai', messages: hi, generationId });
		const again = await errorOf(
			h.client.completions.start.mutate({ providerId: 'openai', messages: hi, generationId })
		);
		expect(again).toMatchObject({
			code: 'CONFLICT',
			message: 'That generation id is already used. Pick a new one.'
		});
		const events = await collectStream(h.client, generationId, { completion: true });
		expect(textOf(events)).toBe('long '.repeat(20));

		const v4 = await errorOf(
			h.client.completions.start.mutate({ providerId: 'openai', messages: hi, generationId: randomUUID() })
		);
		expect(v4.code).toBe('BAD_REQUEST');
	});
});
