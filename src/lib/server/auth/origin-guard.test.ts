import { describe, expect, it } from 'vitest';
import { checkRequestOrigin } from './origin-guard';

const appOrigin = 'https://chat.example.com';
const cookie = 'switchboard_session=abc.def';

function decide(method: string, headers: Record<string, string>) {
	return checkRequestOrigin({ method, headers: new Headers(headers), appOrigin }).allowed;
}

describe('checkRequestOrigin', () => {
	it('lets reads through', () => {
		expect(decide('GET', { cookie, origin: 'https://evil.example' })).toBe(true);
		expect(decide('HEAD', { cookie, 'sec-fetch-site': 'cross-site' })).toBe(true);
	});

	it('refuses cross-site writes, by Sec-Fetch-Site or by Origin', () => {
		expect(decide('POST', { cookie, 'sec-fetch-site': 'cross-site' })).toBe(false);
		expect(decide('POST', { cookie, 'sec-fetch-site': 'same-site' })).toBe(false);
		expect(decide('POST', { cookie, 'sec-fetch-site': 'none' })).toBe(false);
		expect(decide('POST', { cookie, origin: 'https://evil.example' })).toBe(false);
		expect(decide('POST', { cookie, origin: 'null' })).toBe(false);
		expect(decide('DELETE', { cookie, origin: 'http://chat.example.com' })).toBe(false);
		// Without a cookie too: a cross-site sign-in is login CSRF.
		expect(decide('POST', { origin: 'https://evil.example' })).toBe(false);
	});

	it('believes Sec-Fetch-Site over Origin', () => {
		expect(decide('POST', { cookie, 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' })).toBe(
			true
		);
		expect(decide('POST', { cookie, 'sec-fetch-site': 'cross-site', origin: appOrigin })).toBe(false);
	});

	it('accepts same-origin writes', () => {
		expect(decide('POST', { cookie, 'sec-fetch-site': 'same-origin' })).toBe(true);
		expect(decide('POST', { cookie, origin: appOrigin })).toBe(true);
	});

	it('refuses a cookie that cannot say where it comes from, accepts a script without one', () => {
		expect(decide('POST', { cookie })).toBe(false);
		expect(decide('POST', {})).toBe(true);
		expect(decide('POST', { cookie: 'other=1' })).toBe(true);
	});

	it('exempts bearer requests (a browser never adds one by itself)', () => {
		expect(decide('POST', { authorization: 'Bearer sb_x', origin: 'https://evil.example', cookie })).toBe(
			true
		);
		expect(decide('POST', { authorization: 'Bearer ', origin: 'https://evil.example' })).toBe(false);
		expect(decide('POST', { authorization: 'Basic abc', cookie })).toBe(false);
	});
});
