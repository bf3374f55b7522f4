import { describe, expect, it } from 'vitest';
import { checkUrl, classifyHost } from './url-policy';

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
		['100.100.100.200', 'metadata'],
		['100.100.100.201', 'private'],
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

	it('refuses every embedded-IPv4 form of a metadata address, whatever the policy', () => {
		for (const url of [
			'http://[64:ff9b::a9fe:a9fe]/', // NAT64 well-known prefix
			'http://[64:ff9b::169.254.169.254]/',
			'http://[64:ff9b:1::a9fe:a9fe]/', // NAT64 local-use prefix, /96 layout
			'http://[64:ff9b:1:a9fe:a9:fe00::]/', // NAT64 local-use prefix, /48 layout (RFC 6052)
			'http://[2002:a9fe:a9fe::]/', // 6to4
			'http://[2001:0:4136:e378:8000:63bf:5601:5601]/', // Teredo, client 169.254.169.254 obfuscated
			'http://[::ffff:0:a9fe:a9fe]/', // IPv4-translated
			'http://[::169.254.169.254]/' // IPv4-compatible
		]) {
			for (const policy of [closed, open]) {
				expect(checkUrl(url, policy), url).toMatchObject({
					ok: false,
					reason: expect.stringContaining('metadata')
				});
			}
		}
	});

	it('refuses embedded forms of loopback and private addresses when private networks are off', () => {
		for (const url of [
			'http://[64:ff9b::7f00:1]/',
			'http://[2002:a00:1::]/',
			'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/',
			'http://[64:ff9b:1:c0a8:1:100::]/'
		]) {
			expect(checkUrl(url, closed), url).toMatchObject({
				ok: false,
				reason: expect.stringContaining('private')
			});
			expect(checkUrl(url, open).ok, url).toBe(true);
		}
		expect(checkUrl('http://[64:ff9b::808:808]/', closed).ok).toBe(true);
		expect(checkUrl('http://[2002:808:808::]/', closed).ok).toBe(true);
	});

	it('refuses the known metadata addresses even where private networks are allowed', () => {
		for (const url of [
			'http://100.100.100.200/',
			'http://192.0.0.192/',
			'http://169.254.170.2/v2/credentials',
			'http://[fd00:ec2::254]/',
			'http://[fd20:ce::254]/',
			'http://metadata.google.internal./',
			'http://METADATA.tencentyun.com/'
		]) {
			expect(checkUrl(url, open), url).toMatchObject({
				ok: false,
				reason: expect.stringContaining('metadata')
			});
		}
		expect(checkUrl('http://100.100.100.201/', open).ok).toBe(true);
	});
});

describe('classifyHost on spellings that skipped the URL parser (DNS answers, raw hosts)', () => {
	it.each([
		['2852039166', 'metadata'],
		['0xa9fea9fe', 'metadata'],
		['0xa9.0xfe.0xa9.0xfe', 'metadata'],
		['0251.0376.0251.0376', 'metadata'],
		['169.254.43518', 'metadata'],
		['127.1', 'loopback'],
		['0x7f000001', 'loopback'],
		['012.0.0.1', 'private'],
		['1.2.3.4.5', 'public'],
		['08.0.0.1', 'public']
	])('%s is %s', (host, expected) => {
		expect(classifyHost(host)).toBe(expected);
	});
});
