import { describe, expect, it } from 'vitest';
import { safeNextPath } from './guards';

describe('safeNextPath', () => {
	it('keeps paths on this site and refuses everything else', () => {
		expect(safeNextPath('/chat/1?x=2')).toBe('/chat/1?x=2');
		expect(safeNextPath(null)).toBe('/');
		for (const bad of [
			'https://evil.example',
			'//evil.example',
			'/\\evil.example',
			'javascript:alert(1)',
			''
		]) {
			expect(safeNextPath(bad), bad).toBe('/');
		}
	});
});
