import { describe, expect, it } from 'vitest';
import { countOf } from './count-of';

describe('countOf', () => {
	it('writes the count with the noun in the number it takes', () => {
		expect(countOf(1, 'chat')).toBe('1 chat');
		expect(countOf(0, 'chat')).toBe('0 chats');
		expect(countOf(1000, 'message')).toBe('1,000 messages');
		expect(countOf(2, 'reply', 'replies')).toBe('2 replies');
	});
});
