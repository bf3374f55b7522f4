import { describe, expect, it } from 'vitest';
import { describeError, redact } from './log';

describe('describeError', () => {
	it('follows causes and leaves out query parameters', () => {
		const error = new Error('Failed query: select * from sessions where id = $1\nparams: secret-session-id', {
			cause: new Error('PGlite is closed')
		});
		const text = describeError(error);
		expect(text).toBe('Error: Failed query: select * from sessions where id = $1 <- Error: PGlite is closed');
		expect(text).not.toContain('secret-session-id');
	});
});

describe('redact', () => {
	it('masks key-shaped strings and bearer tokens', () => {
		expect(redact('key sk-proj-abcdef123456 and Bearer sb_abc.def')).toBe('key [redacted] and [redacted]');
	});
});
