import { describe, expect, it } from 'vitest';
import { coalesce } from './redis-event-log';

const entry = (seq: number, event: object): [string, string[]] => [`0-${seq}`, ['e', JSON.stringify(event)]];

describe('coalesce', () => {
	it('joins each run of deltas under the last id and keeps every other event as it is', () => {
		const events = coalesce([
			entry(1, { type: 'start', messageId: 'm', providerId: 'p', modelId: 'x' }),
			entry(2, { type: 'delta', text: 'a' }),
			entry(3, { type: 'delta', text: 'b' }),
			entry(4, {
				type: 'fallback',
				from: { providerId: 'p', modelId: 'x' },
				to: { providerId: 'q', modelId: 'y' },
				reason: 'overloaded'
			}),
			entry(5, { type: 'delta', text: 'c' })
		]);
		expect(events.map((e) => e.id)).toEqual(['1', '3', '4', '5']);
		expect(events[1].event).toEqual({ type: 'delta', text: 'ab' });
		expect(events[3].event).toEqual({ type: 'delta', text: 'c' });
	});

	it('skips entries that are not events (another version, a stray write)', () => {
		expect(coalesce([['0-1', ['x', '1']], entry(2, { type: 'nope' })])).toEqual([]);
	});
});
