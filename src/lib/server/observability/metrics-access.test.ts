import { describe, expect, it } from 'vitest';
import { metricsAccess } from './metrics-access';

const token = 'metrics-token-0123456789';

describe('metricsAccess', () => {
	it('with a token set, allows only its bearer, from anywhere', () => {
		const base = { token, clientAddress: '203.0.113.9' };
		expect(metricsAccess({ ...base, authorization: `Bearer ${token}` })).toBe('allowed');
		expect(metricsAccess({ ...base, authorization: 'Bearer wrong-token-0123456789' })).toBe('unauthorized');
		expect(metricsAccess({ ...base, authorization: null })).toBe('unauthorized');
		expect(metricsAccess({ token, clientAddress: '127.0.0.1', authorization: null })).toBe('unauthorized');
	});

	it('without a token, serves loopback only and hides itself elsewhere', () => {
		for (const clientAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
			expect(metricsAccess({ token: undefined, clientAddress, authorization: null })).toBe('allowed');
		}
		for (const clientAddress of ['10.0.0.5', '203.0.113.9', '::ffff:10.0.0.5', '128.0.0.1']) {
			expect(metricsAccess({ token: undefined, clientAddress, authorization: null })).toBe('not_found');
		}
	});
});
