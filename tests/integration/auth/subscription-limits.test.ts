import superjson from 'superjson';
import { afterEach, describe, expect, it } from 'vitest';
import { configureRequestLimits } from '$lib/server/trpc/request-limits';
import { useChatHarness } from '../../helpers/chat-harness';

const h = useChatHarness();

describe('open subscriptions per user', () => {
	const open: AbortController[] = [];
	afterEach(() => {
		for (const controller of open.splice(0)) controller.abort();
	});

	/** Subscribes to a generation as EventSource would (the browser's cookie, Accept: text/event-stream). */
	async function subscribe(messageId: string, cookie: string): Promise<Response> {
		const controller = new AbortController();
		open.push(controller);
		const input = encodeURIComponent(JSON.stringify(superjson.serialize({ messageId })));
		return fetch(`${h.url}/api/trpc/chats.stream?input=${input}`, {
			headers: { accept: 'text/event-stream', cookie },
			signal: controller.signal
		});
	}

	/**
	 * The first SSE event after tRPC's `connected`: one of the generation's events when the
	 * subscription was accepted, `serialized-error` when it was refused.
	 */
	async function firstEvent(response: Response): Promise<string> {
		const reader = response.body!.getReader();
		let text = '';
		// Complete events only (each ends with a blank line), without the `connected` one.
		const events = () =>
			text
				.split('\n\n')
				.slice(0, -1)
				.map((e) => e.trim())
				.filter((e) => e && !e.startsWith('event: connected'));
		while (events().length === 0) {
			const { done, value } = await reader.read();
			if (done) break;
			text += new TextDecoder().decode(value);
		}
		reader.releaseLock();
		return events()[0] ?? '';
	}

	const accepted = async (response: Response) =>
		!(await firstEvent(response)).startsWith('event: serialized-error');

	it('caps them with TOO_MANY_REQUESTS until one closes; other users are not affected', async () => {
		configureRequestLimits(h.app, { subscriptionsPerClient: 2 });
		// A long, paced answer, so the subscriptions stay open for the whole test.
		h.emulators.anthropic.script({ chunks: Array.from({ length: 300 }, (_, i) => `w${i} `), paceMs: 100 });
		const chat = await h.client.chats.create.mutate({});
		const sent = await h.client.chats.send.mutate({ chatId: chat.id, content: 'Hello' });
		const first = await subscribe(sent.assistantMessageId, h.admin.cookie);
		const second = await subscribe(sent.assistantMessageId, h.admin.cookie);
		expect([await accepted(first), await accepted(second)]).toEqual([true, true]);

		// tRPC answers a subscription's refusal as an SSE error event, which its client raises.
		const refused = await firstEvent(await subscribe(sent.assistantMessageId, h.admin.cookie));
		expect(refused).toMatch(/^event: serialized-error/);
		expect(refused).toContain('TOO_MANY_REQUESTS');
		expect(refused).toContain('Too many open streams. Close one and try again.');

		const member = await h.member();
		const theirChat = await member.client.chats.create.mutate({});
		const theirs = await member.client.chats.send.mutate({ chatId: theirChat.id, content: 'Hi' });
		expect(await accepted(await subscribe(theirs.assistantMessageId, member.user.cookie))).toBe(true);

		// Closing one gives its slot back.
		open[0].abort();
		await expect
			.poll(async () => (await subscribe(sent.assistantMessageId, h.admin.cookie)).status, {
				timeout: 30_000
			})
			.toBe(200);
	});
});
