import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '$lib/schemas/stream-events';
import type { ChatDetail } from './client';
import {
	applyStreamEvent,
	buildTurns,
	isPending,
	mergeMessages,
	optimisticTurn,
	startedAnswer,
	type UiMessage
} from './messages';

const chatId = '11111111-1111-4111-8111-111111111111';

function answer(): UiMessage {
	return startedAnswer(
		chatId,
		{ assistantMessageId: 'a1', userMessageId: 'u1' },
		{ providerId: 'anthropic', modelId: 'claude-sonnet-4-5' }
	);
}

function replay(message: UiMessage, events: StreamEvent[]) {
	return events.map((event) => applyStreamEvent(message, event));
}

describe('applyStreamEvent', () => {
	it('builds the text from deltas and settles with the usage', () => {
		const m = answer();
		replay(m, [
			{ type: 'start', messageId: 'a1', providerId: 'anthropic', modelId: 'claude-sonnet-4-5' },
			{ type: 'delta', text: 'Hello ' },
			{ type: 'delta', text: 'world' },
			{
				type: 'done',
				finishReason: 'stop',
				usage: { inputTokens: 10, outputTokens: 2, costUsd: 0.00006, estimated: false }
			}
		]);
		expect(m).toMatchObject({
			content: 'Hello world',
			status: 'complete',
			inputTokens: 10,
			outputTokens: 2,
			costUsd: 0.00006
		});
	});

	it('rebuilds instead of repeating when a new subscription replays from the start', () => {
		const m = answer();
		const start: StreamEvent = {
			type: 'start',
			messageId: 'a1',
			providerId: 'anthropic',
			modelId: 'claude-sonnet-4-5'
		};
		replay(m, [start, { type: 'delta', text: 'one ' }, { type: 'delta', text: 'two ' }]);
		// A reload: the page already shows the saved part, then the full replay arrives.
		replay(m, [
			start,
			{ type: 'delta', text: 'one ' },
			{ type: 'delta', text: 'two ' },
			{ type: 'delta', text: 'three' }
		]);
		expect(m.content).toBe('one two three');
	});

	it('moves the badge to the provider that really answers after a fallback', () => {
		const m = answer();
		const [effect] = replay(m, [
			{
				type: 'fallback',
				from: { providerId: 'anthropic', modelId: 'claude-sonnet-4-5' },
				to: { providerId: 'openai', modelId: 'gpt-4.1-mini' },
				reason: 'overloaded'
			}
		]);
		expect(m).toMatchObject({ providerId: 'openai', modelId: 'gpt-4.1-mini' });
		expect(effect.fallback?.reason).toBe('overloaded');
	});

	it('marks a stop and an error, keeping the partial text', () => {
		const stopped = answer();
		replay(stopped, [
			{ type: 'delta', text: 'partial' },
			{
				type: 'done',
				finishReason: 'aborted',
				usage: { inputTokens: 5, outputTokens: 1, costUsd: null, estimated: true }
			}
		]);
		expect(stopped).toMatchObject({
			status: 'stopped',
			content: 'partial',
			usageEstimated: true,
			costUsd: null
		});

		const failed = answer();
		const effects = replay(failed, [
			{ type: 'delta', text: 'half' },
			{
				type: 'error',
				error: { code: 'overloaded', message: 'Overloaded', retryable: true, providerId: 'anthropic' }
			}
		]);
		expect(failed).toMatchObject({ status: 'error', content: 'half', error: { code: 'overloaded' } });
		expect(effects[1].retryable).toBe(true);
	});
});

describe('mergeMessages', () => {
	const [user, pendingAnswer] = optimisticTurn(chatId, 'Hi', {
		providerId: 'openai',
		modelId: 'gpt-4.1-mini'
	});

	function server(overrides: Partial<ChatDetail['messages'][number]> = {}): ChatDetail['messages'] {
		const { key: _key, ...rest } = answer();
		return [{ ...rest, content: 'saved', status: 'streaming', ...overrides }];
	}

	it('reuses the objects on screen and keeps optimistic messages at the end', () => {
		const current = [answer(), user, pendingAnswer];
		const merged = mergeMessages(current, server({ status: 'complete', content: 'final' }), () => false);
		expect(merged[0]).toBe(current[0]);
		expect(merged[0].content).toBe('final');
		expect(merged.slice(1).map((m) => m.key)).toEqual([user.key, pendingAnswer.key]);
		expect(isPending(pendingAnswer.id)).toBe(true);
	});

	it('keeps the live text of an answer being streamed', () => {
		const live = answer();
		live.content = 'ahead of the saved text';
		const merged = mergeMessages([live], server(), (id) => id === 'a1');
		expect(merged[0].content).toBe('ahead of the saved text');
	});
});

describe('buildTurns', () => {
	it('follows the branch on screen, with the versions and answers of each question', () => {
		const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n));
		const q: UiMessage = {
			...answer(),
			key: 'u1',
			id: 'u1',
			role: 'user',
			parentId: null,
			content: 'Q',
			createdAt: at(1)
		};
		const first = { ...answer(), createdAt: at(2) };
		const second = { ...answer(), key: 'a2', id: 'a2', createdAt: at(3) };
		const edit: UiMessage = { ...q, key: 'u1b', id: 'u1b', content: 'Q edited', createdAt: at(4) };
		const third = { ...answer(), key: 'a3', id: 'a3', parentId: 'u1b', createdAt: at(5) };
		const onFirst = buildTurns([q, first, second, edit, third], 'a1');
		expect(onFirst).toHaveLength(1);
		expect(onFirst[0].user.id).toBe('u1');
		expect(onFirst[0].answers.map((a) => a.id)).toEqual(['a1', 'a2']);
		expect(onFirst[0].answer?.id).toBe('a1');
		expect(onFirst[0].versions.map((v) => v.id)).toEqual(['u1', 'u1b']);
		expect(buildTurns([q, first, second, edit, third], 'a3')[0]).toMatchObject({
			user: { id: 'u1b' },
			answer: { id: 'a3' }
		});
	});

	it('versions of a later question are the edits made from the same answer', () => {
		const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n));
		const msg = (id: string, role: 'user' | 'assistant', parentId: string | null, n: number): UiMessage => ({
			...answer(),
			key: id,
			id,
			role,
			parentId,
			createdAt: at(n)
		});
		const list = [
			msg('u1', 'user', null, 1),
			msg('a1', 'assistant', 'u1', 2),
			msg('u2', 'user', 'a1', 3),
			msg('a2', 'assistant', 'u2', 4),
			msg('u2b', 'user', 'a1', 5),
			msg('a2b', 'assistant', 'u2b', 6),
			// Its parent is not in the chat: a root beside u1.
			msg('orphan', 'user', 'gone', 0)
		];
		const turns = buildTurns(list, 'a2');
		expect(turns.map((t) => t.versions.map((v) => v.id))).toEqual([
			['orphan', 'u1'],
			['u2', 'u2b']
		]);
	});
});
