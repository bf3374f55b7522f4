import { describe, expect, it } from 'vitest';
import { buildHistory, titleFromMessage } from './history';

const m = (
	id: string,
	role: 'user' | 'assistant',
	content: string,
	parentId: string | null = null,
	status: 'complete' | 'streaming' | 'stopped' | 'error' = 'complete'
) => ({ id, role, content, parentId, status });

describe('buildHistory', () => {
	it('pairs each user message with its latest answer, up to the message being answered', () => {
		const messages = [
			m('u1', 'user', 'hi'),
			m('a1', 'assistant', 'first answer', 'u1'),
			m('a1b', 'assistant', 'regenerated answer', 'u1'),
			m('u2', 'user', 'and now?'),
			m('a2', 'assistant', '', 'u2', 'streaming'),
			m('u3', 'user', 'later')
		];
		expect(buildHistory(messages, 'u2')).toEqual([
			{ role: 'user', content: 'hi' },
			{ role: 'assistant', content: 'regenerated answer' },
			{ role: 'user', content: 'and now?' }
		]);
	});

	it('keeps a stopped partial answer but skips empty failed ones', () => {
		const messages = [
			m('u1', 'user', 'a'),
			m('a1', 'assistant', 'partial', 'u1', 'stopped'),
			m('u2', 'user', 'b'),
			m('a2', 'assistant', '', 'u2', 'error'),
			m('u3', 'user', 'c')
		];
		expect(buildHistory(messages, 'u3').map((x) => x.content)).toEqual(['a', 'partial', 'b', 'c']);
	});
});

describe('titleFromMessage', () => {
	it('uses the first line, shortened', () => {
		expect(titleFromMessage('  Plan a trip\nto Lisbon')).toBe('Plan a trip');
		expect(titleFromMessage('x'.repeat(100))).toHaveLength(58);
	});
});
