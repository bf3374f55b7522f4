import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, nodeServerSettings, parseByteSize, requestOrigin } from './node-request';

function req(headers: Record<string, string>, remoteAddress = '10.0.0.9'): IncomingMessage {
	return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

describe('the lean route reads a request as adapter-node does', () => {
	it('takes the socket address, or the configured header', () => {
		expect(clientAddress(req({}), nodeServerSettings({}))).toBe('10.0.0.9');
		const realIp = nodeServerSettings({ ADDRESS_HEADER: 'X-Real-IP' });
		expect(clientAddress(req({ 'x-real-ip': '203.0.113.7' }), realIp)).toBe('203.0.113.7');
		// Missing where it was promised: left to SvelteKit, which refuses it as it always has.
		expect(clientAddress(req({}), realIp)).toBeNull();
	});

	it('counts XFF_DEPTH trusted proxies from the right of X-Forwarded-For', () => {
		const forwarded = { 'x-forwarded-for': '198.51.100.1, 203.0.113.7, 10.0.0.1' };
		const one = nodeServerSettings({ ADDRESS_HEADER: 'x-forwarded-for' });
		expect(clientAddress(req(forwarded), one)).toBe('10.0.0.1');
		const two = nodeServerSettings({ ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '2' });
		expect(clientAddress(req(forwarded), two)).toBe('203.0.113.7');
		const tooDeep = nodeServerSettings({ ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '4' });
		expect(clientAddress(req(forwarded), tooDeep)).toBeNull();
	});

	it('builds the origin from ORIGIN, else plain http on the Host (or HOST_HEADER)', () => {
		const headers = { host: 'chat.local:3000', 'x-forwarded-host': 'chat.example.com' };
		expect(requestOrigin(req(headers), nodeServerSettings({}))).toBe('http://chat.local:3000');
		expect(requestOrigin(req(headers), nodeServerSettings({ HOST_HEADER: 'X-Forwarded-Host' }))).toBe(
			'http://chat.example.com'
		);
		expect(requestOrigin(req(headers), nodeServerSettings({ ORIGIN: 'https://chat.example.com' }))).toBe(
			'https://chat.example.com'
		);
	});

	it('reads body limits in adapter-node’s syntax', () => {
		expect(parseByteSize('512K')).toBe(512 * 1024);
		expect(parseByteSize('24M')).toBe(24 * 1024 * 1024);
		expect(parseByteSize('1g')).toBe(1024 ** 3);
		expect(parseByteSize('1000')).toBe(1000);
		expect(parseByteSize('Infinity')).toBe(Infinity);
	});
});
