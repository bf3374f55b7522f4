import { describe, expect, it } from 'vitest';
import { requestIdFor } from './request-id';

describe('requestIdFor', () => {
	it('keeps a plain id a proxy sent', () => {
		expect(requestIdFor(new Headers({ 'x-request-id': 'lb-7f3a9c21.e4' }))).toBe('lb-7f3a9c21.e4');
	});

	it('replaces a missing, short, long or unsafe id with a new uuid', () => {
		const uuid = /^[0-9a-f-]{36}$/;
		for (const sent of [undefined, 'abc', 'x'.repeat(129), 'id with spaces', 'id"}\n{"level":"error"']) {
			const headers = new Headers(sent === undefined ? {} : { 'x-request-id': sent.replace('\n', '') });
			expect(requestIdFor(headers)).toMatch(uuid);
		}
	});
});
