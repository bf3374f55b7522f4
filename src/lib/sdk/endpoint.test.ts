import { describe, expect, it } from 'vitest';
import { isAbsoluteHttpUrl, trpcEndpoint } from './endpoint';

describe('trpcEndpoint', () => {
	it('appends the tRPC path to the app address', () => {
		expect(trpcEndpoint('http://localhost:3000')).toBe('http://localhost:3000/api/trpc');
		expect(trpcEndpoint('https://sb.example.com/')).toBe('https://sb.example.com/api/trpc');
		expect(trpcEndpoint('https://example.com/switchboard//')).toBe(
			'https://example.com/switchboard/api/trpc'
		);
	});

	it('keeps a URL that already is the endpoint', () => {
		expect(trpcEndpoint('http://127.0.0.1:5173/api/trpc')).toBe('http://127.0.0.1:5173/api/trpc');
		expect(trpcEndpoint('http://127.0.0.1:5173/api/trpc/')).toBe('http://127.0.0.1:5173/api/trpc');
	});

	it('refuses an empty URL', () => {
		expect(() => trpcEndpoint('  ')).toThrow(/empty/);
	});
});

describe('isAbsoluteHttpUrl', () => {
	it('accepts http and https only', () => {
		expect(isAbsoluteHttpUrl('http://localhost:3000/api/trpc')).toBe(true);
		expect(isAbsoluteHttpUrl('https://sb.example.com')).toBe(true);
		expect(isAbsoluteHttpUrl('/api/trpc')).toBe(false);
		expect(isAbsoluteHttpUrl('ftp://example.com')).toBe(false);
		expect(isAbsoluteHttpUrl('localhost:3000')).toBe(false);
	});
});
