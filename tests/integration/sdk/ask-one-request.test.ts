import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSwitchboardClient, type StreamEvent } from '../../../src/lib/sdk/index';
import { createApiToken } from '../../helpers/auth-client';
import { useChatHarness } from '../../helpers/chat-harness';

/*
 * ask() opens the answer's stream alongside its send (streamCompletion() alongside its start). A
 * server too busy to start the send within the stream's wait answers that stream "not found"; here
 * the wait is 1 ms, so that is what happens, and the SDK must still deliver the whole answer (it
 * watches again once the send is through).
 */
const harness = useChatHarness({ generation: { awaitStartMs: 1 } });

async function sdk() {
	const token = await createApiToken(harness.app, harness.admin.user.id);
	return createSwitchboardClient({ url: harness.url, token });
}

/** Every event of a run, and its result. */
async function drain<R>(run: AsyncIterable<StreamEvent> & { result: Promise<R> }) {
	const events: StreamEvent[] = [];
	for await (const event of run) events.push(event);
	return { events, result: await run.result };
}

describe('ask() on a server slower than its stream wait', () => {
	it('still streams the whole answer, once', async () => {
		const sb = await sdk();
		harness.emulators.openai.script({ chunks: ['Late ', 'but ', 'whole.'], paceMs: 20 });
		const { events, result } = await drain(
			sb.ask({ content: 'Hi', providerId: 'openai', modelId: 'gpt-4.1-mini' })
		);
		expect(events.map((e) => e.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done']);
		expect(result.text).toBe('Late but whole.');
		expect(harness.app.starts.waiting).toBe(0);
	});

	it('still ends with the send’s own error when the send is refused', async () => {
		const sb = await sdk();
		const run = sb.ask({ chatId: randomUUID(), content: 'Hi' });
		await expect(run.result).rejects.toMatchObject({
			code: 'NOT_FOUND',
			message: 'That chat does not exist.'
		});
	});
});

describe('streamCompletion() on a server slower than its stream wait', () => {
	it('still streams the whole completion, once', async () => {
		const sb = await sdk();
		harness.emulators.openai.script({ chunks: ['Late ', 'but ', 'whole.'], paceMs: 20 });
		const { events, result } = await drain(
			sb.streamCompletion({
				providerId: 'openai',
				modelId: 'gpt-4.1-mini',
				messages: [{ role: 'user', content: 'Hi' }]
			})
		);
		expect(events.map((e) => e.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done']);
		expect(result.text).toBe('Late but whole.');
		expect(harness.app.starts.waiting).toBe(0);
	});

	it('still ends with the start’s own error when the start is refused', async () => {
		const sb = await sdk();
		const run = sb.streamCompletion({
			providerId: 'openai',
			modelId: 'no-such-model',
			messages: [{ role: 'user', content: 'Hi' }]
		});
		await expect(run.result).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});
});
