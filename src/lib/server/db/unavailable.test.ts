import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, isDatabaseWriteRefused } from './unavailable';

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
