import { describe, expect, it } from 'vitest';
import { SecretRedactor } from './secret-redaction';

describe('SecretRedactor', () => {
	const key = 'Zq8vN3xLpR7tWm2K';
	const other = 'sk-proj-Hd93kQa7Vb2Lx5Tc';
	const redactor = new SecretRedactor();
	redactor.remember(key);
	redactor.remember(other);

	it('redacts a key echoed in part: its first 8 and last 4 characters', () => {
		expect(redactor.redact(`Invalid key ${key.slice(0, 8)}...${key.slice(-4)} for this org`)).toBe(
			'Invalid key [redacted]...[redacted] for this org'
		);
	});

	it('redacts every remembered key, whole or in 4+ character runs, and a key passed with the call', () => {
		expect(redactor.redact(`a=${key} b=${other.slice(8, 14)}`)).toBe('a=[redacted] b=[redacted]');
		expect(redactor.redact('c=k2Tb9Rm1Qw', 'x-k2Tb9Rm1Qw-y')).toBe('c=[redacted]');
	});

	it('leaves runs shorter than 4, ordinary words and the public vendor prefix alone', () => {
		const text = 'Zq8 is not 7tW; the sk-proj- prefix and the model gpt-4.1 failed';
		expect(redactor.redact(text)).toBe(text);
	});

	it('ignores keys too short to tell apart from text', () => {
		const short = new SecretRedactor();
		short.remember('abc');
		short.remember('');
		expect(short.redact('abc abcd')).toBe('abc abcd');
	});
});
