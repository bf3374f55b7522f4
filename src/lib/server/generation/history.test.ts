import { describe, expect, it } from 'vitest';
import { buildHistory, titleFromMessage } from './history';

let clock = 0;
const m = (
	id: string,
	role: 'user' | 'assistant',
	content: string,
	parentId: string | null = null,
	status: 'complete' | 'streaming' | 'stopped' | 'error' = 'complete'
) => ({ id, role, content, parentId, status, createdAt: new Date(++clock) });

describe('buildHistory', () => {
	it('sends the branch that leads to the message being answered, not its siblings', () => {
		const messages = [
			m('u1', 'user', 'hi'),
			m('a1', 'assistant', 'first answer', 'u1'),
			m('a1b', 'assistant', 'regenerated answer', 'u1'),
			m('u2', 'user', 'on the first answer', 'a1'),
			m('u2b', 'user', 'on the second answer', 'a1b'),
			m('u2c', 'user', 'edited', 'a1b'),
			m('a2', 'assistant', '', 'u2c', 'streaming')
		];
		expect(buildHistory(messages, 'u2')).toEqual([
			{ role: 'user', content: 'hi' },
			{ role: 'assistant', content: 'first answer' },
			{ role: 'user', content: 'on the first answer' }
		]);
		expect(buildHistory(messages, 'u2c').map((x) => x.content)).toEqual([
			'hi',
			'regenerated answer',
			'edited'
		]);
	});

	it('keeps a stopped partial answer but skips empty failed ones', () => {
		const messages = [
			m('u1', 'user', 'a'),
			m('a1', 'assistant', 'partial', 'u1', 'stopped'),
			m('u2', 'user', 'b', 'a1'),
			m('a2', 'assistant', '', 'u2', 'error'),
			m('u3', 'user', 'c', 'a2')
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
