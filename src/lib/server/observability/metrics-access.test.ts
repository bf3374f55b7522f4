import { describe, expect, it } from 'vitest';
import { isProxied, metricsAccess } from './metrics-access';

const token = 'metrics-token-0123456789';

describe('metricsAccess', () => {
	it('with a token set, allows only its bearer, from anywhere', () => {
		const base = { token, clientAddress: '203.0.113.9', proxied: false };
		expect(metricsAccess({ ...base, authorization: `Bearer ${token}` })).toBe('allowed');
		expect(metricsAccess({ ...base, authorization: 'Bearer wrong-token-0123456789' })).toBe('unauthorized');
		expect(metricsAccess({ ...base, authorization: null })).toBe('unauthorized');
		expect(metricsAccess({ token, clientAddress: '127.0.0.1', authorization: null, proxied: false })).toBe(
			'unauthorized'
		);
	});

	it('without a token, serves loopback only and hides itself elsewhere', () => {
		for (const clientAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
			expect(metricsAccess({ token: undefined, clientAddress, authorization: null, proxied: false })).toBe(
				'allowed'
			);
		}
		for (const clientAddress of ['10.0.0.5', '203.0.113.9', '::ffff:10.0.0.5', '128.0.0.1']) {
			expect(metricsAccess({ token: undefined, clientAddress, authorization: null, proxied: false })).toBe(
				'not_found'
			);
		}
	});

	it('without a token, hides itself from requests a proxy on this machine forwarded', () => {
		expect(
			metricsAccess({ token: undefined, clientAddress: '127.0.0.1', authorization: null, proxied: true })
		).toBe('not_found');
		expect(isProxied(new Headers({ 'x-forwarded-for': '203.0.113.9' }))).toBe(true);
		expect(isProxied(new Headers({ forwarded: 'for=203.0.113.9' }))).toBe(true);
		expect(isProxied(new Headers({ accept: 'text/plain' }))).toBe(false);
	});
});
