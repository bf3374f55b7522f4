import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm';
import { describeError, redact } from './log';

describe('describeError', () => {
	it('follows causes, and gives only the name and SQLSTATE of database errors', () => {
		const driver = Object.assign(new Error('invalid input syntax for type uuid: "secret-input"'), {
			name: 'PostgresError',
			code: '22P02',
			severity: 'ERROR',
			detail: 'secret-input'
		});
		const error = new DrizzleQueryError('select * from chats where id = $1', ['secret-input'], driver);
		const text = describeError(new Error('could not list chats', { cause: error }));
		expect(text).toBe('Error: could not list chats <- Error: Failed query <- PostgresError: SQLSTATE 22P02');
		expect(text).not.toContain('secret-input');
	});

	it('keeps the message of other errors', () => {
		expect(describeError(new Error('outer', { cause: new Error('PGlite is closed') }))).toBe(
			'Error: outer <- Error: PGlite is closed'
		);
	});
});

describe('redact', () => {
	it('masks key-shaped strings and bearer tokens', () => {
		expect(redact('key sk-proj-abcdef123456 and Bearer sb_abc.def')).toBe('key [redacted] and [redacted]');
	});
});
