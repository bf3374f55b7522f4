import { describe, expect, it } from 'vitest';
import {
	findUniqueViolation,
	isDatabaseUnavailable,
	isDatabaseWriteRefused,
	isUnstorableText
} from './unavailable';

describe('isDatabaseUnavailable', () => {
	it('recognises connection failures of both drivers, through causes', () => {
		expect(isDatabaseUnavailable(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
		expect(
			isDatabaseUnavailable(
				new Error('Failed query', { cause: Object.assign(new Error('x'), { code: 'CONNECTION_ENDED' }) })
			)
		).toBe(true);
		expect(isDatabaseUnavailable(new Error('Failed query', { cause: new Error('PGlite is closed') }))).toBe(
			true
		);
	});

	it('does not mistake query errors for an outage', () => {
		expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
		expect(isDatabaseUnavailable(new Error('syntax error'))).toBe(false);
		expect(isDatabaseUnavailable(undefined)).toBe(false);
	});
});

describe('isDatabaseWriteRefused', () => {
	it('recognises a full disk, a read-only database and I/O errors, through causes', () => {
		const diskFull = Object.assign(new Error('could not extend file'), { code: '53100' });
		expect(isDatabaseWriteRefused(new Error('Failed query', { cause: diskFull }))).toBe(true);
		expect(isDatabaseWriteRefused(Object.assign(new Error('read-only'), { code: '25006' }))).toBe(true);
		expect(isDatabaseWriteRefused(Object.assign(new Error('io'), { code: '58030' }))).toBe(true);
	});

	it('does not mistake other query errors or an outage for a refused write', () => {
		expect(isDatabaseWriteRefused(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
		expect(isDatabaseWriteRefused(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(false);
		expect(isDatabaseWriteRefused(undefined)).toBe(false);
	});
});

describe('isUnstorableText', () => {
	it('recognises a NUL refused in text or in a json escape, through causes, and nothing else', () => {
		const inText = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
			code: '22021'
		});
		expect(isUnstorableText(new Error('Failed query', { cause: inText }))).toBe(true);
		expect(
			isUnstorableText(Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }))
		).toBe(true);
		expect(isUnstorableText(Object.assign(new Error('value too long'), { code: '22001' }))).toBe(false);
		expect(isUnstorableText(Object.assign(new Error('disk full'), { code: '53100' }))).toBe(false);
		expect(isUnstorableText(undefined)).toBe(false);
	});
});

describe('findUniqueViolation', () => {
	it("names the table in either driver's shape, through causes", () => {
		const postgresJs = Object.assign(new Error('duplicate key'), { code: '23505', table_name: 'chats' });
		const pglite = Object.assign(new Error('duplicate key'), { code: '23505', table: 'messages' });
		expect(findUniqueViolation(new Error('Failed query', { cause: postgresJs }))).toEqual({ table: 'chats' });
		expect(findUniqueViolation(pglite)).toEqual({ table: 'messages' });
		expect(findUniqueViolation(Object.assign(new Error('dup'), { code: '23505' }))).toEqual({
			table: undefined
		});
	});

	it('is null for any other error', () => {
		expect(findUniqueViolation(Object.assign(new Error('fk'), { code: '23503' }))).toBeNull();
		expect(findUniqueViolation(undefined)).toBeNull();
	});
});
