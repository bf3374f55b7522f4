import { describe, expect, it } from 'vitest';
import { baseUrlChangeNeedsKey, checkUrl, classifyHost } from './url-policy';

describe('classifyHost', () => {
	it.each([
		['169.254.169.254', 'metadata'],
		['169.254.170.2', 'metadata'],
		['[::ffff:169.254.169.254]', 'metadata'],
		['[::ffff:a9fe:a9fe]', 'metadata'],
		['::a9fe:a9fe', 'metadata'],
		['[fd00:ec2::254]', 'metadata'],
		['metadata.google.internal', 'metadata'],
		['127.0.0.1', 'loopback'],
		['localhost', 'loopback'],
		['[::1]', 'loopback'],
		['10.1.2.3', 'private'],
		['172.20.0.1', 'private'],
		['192.168.1.10', 'private'],
		['100.100.100.200', 'private'],
		['[fe80::1]', 'private'],
		['[fc00::5]', 'private'],
		['[::ffff:10.0.0.1]', 'private'],
		['8.8.8.8', 'public'],
		['api.openai.com', 'public'],
		['[2606:4700::1111]', 'public']
	])('%s is %s', (host, expected) => {
		expect(classifyHost(host)).toBe(expected);
	});
});

describe('checkUrl', () => {
	const closed = { allowPrivateNetwork: false };
	const open = { allowPrivateNetwork: true };

	it('refuses metadata addresses in every spelling, even where private networks are allowed', () => {
		for (const url of [
			'http://169.254.169.254/latest',
			'http://2852039166/',
			'http://0xA9FEA9FE/',
			'http://0251.0376.0251.0376/',
			'http://169.254.43518/',
			'http://[::ffff:169.254.169.254]/',
			'http://[fd00:ec2::254]/',
			'http://metadata.google.internal/'
		]) {
			expect(checkUrl(url, open), url).toMatchObject({
				ok: false,
				reason: expect.stringContaining('metadata')
			});
		}
	});

	it('allows loopback and private hosts only when the policy says so', () => {
		expect(checkUrl('http://127.0.0.1:11434', closed).ok).toBe(false);
		expect(checkUrl('http://192.168.1.5:11434', closed).ok).toBe(false);
		expect(checkUrl('http://127.0.0.1:11434', open).ok).toBe(true);
		expect(checkUrl('https://api.anthropic.com', closed).ok).toBe(true);
	});

	it('refuses other schemes and garbage', () => {
		expect(checkUrl('file:///etc/passwd', open).ok).toBe(false);
		expect(checkUrl('not a url', open).ok).toBe(false);
	});
});

describe('baseUrlChangeNeedsKey', () => {
	it('is true only when the host changes', () => {
		expect(baseUrlChangeNeedsKey(null, 'https://api.openai.com/v2', 'https://api.openai.com/v1')).toBe(false);
		expect(baseUrlChangeNeedsKey(null, 'https://evil.example/v1', 'https://api.openai.com/v1')).toBe(true);
		expect(baseUrlChangeNeedsKey('https://proxy.local:8080/v1', null, 'https://api.openai.com/v1')).toBe(
			true
		);
	});
});
