import { describe, expect, it } from 'vitest';
import { storableText } from './storable-text';

describe('storableText', () => {
	it('replaces every NUL with U+FFFD and leaves any other text as it is', () => {
		expect(storableText('a\u0000b\u0000')).toBe('a\uFFFDb\uFFFD');
		const text = 'tabs\tnewlines\n, emoji 🙂, \u0001 and \\u0000 written out';
		expect(storableText(text)).toBe(text);
	});
});
