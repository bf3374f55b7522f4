import { describe, expect, it } from 'vitest';
import { cleanTitle } from './title-service';

describe('cleanTitle', () => {
	it('keeps the first line without quotes, a "Title:" prefix or final punctuation', () => {
		expect(cleanTitle('Title: "A Trip to Lisbon."\nMore text')).toBe('A Trip to Lisbon');
		expect(cleanTitle('  **Budget plan**  ')).toBe('Budget plan');
	});

	it('drops control characters, NUL included (the database could not save it)', () => {
		expect(cleanTitle('Lis\u0000bon \u0007trip')).toBe('Lisbon trip');
		expect(cleanTitle('\u0000')).toBeNull();
	});

	it('shortens long titles and refuses empty ones', () => {
		expect(cleanTitle('word '.repeat(30))).toHaveLength(58);
		expect(cleanTitle(' "" ')).toBeNull();
	});
});
