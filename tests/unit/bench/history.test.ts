import { describe, expect, it } from 'vitest';
import { withRows } from '../../../bench/lib/history';

describe('bench history rows', () => {
	it('go at the end of the first table, not under the sections that follow it', () => {
		const text = [
			'# Bench history',
			'',
			'| a | b |',
			'| --- | --- |',
			'| 1 | 2 |',
			'',
			'## B4',
			'',
			'| x |',
			'| --- |',
			''
		].join('\n');
		expect(withRows(text, ['| 3 | 4 |', '| 5 | 6 |']).split('\n')).toEqual([
			'# Bench history',
			'',
			'| a | b |',
			'| --- | --- |',
			'| 1 | 2 |',
			'| 3 | 4 |',
			'| 5 | 6 |',
			'',
			'## B4',
			'',
			'| x |',
			'| --- |',
			''
		]);
	});
});
