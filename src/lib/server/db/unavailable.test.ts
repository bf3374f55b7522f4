import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './unavailable';

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
