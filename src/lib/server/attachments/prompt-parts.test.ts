import { describe, expect, it } from 'vitest';
import { withAttachments, withoutImages } from './prompt-parts';

const file = (name: string, text: string) => ({
	kind: 'text' as const,
	mediaType: 'text/plain',
	name,
	data: Buffer.from(text)
});
const image = (name: string) => ({
	kind: 'image' as const,
	mediaType: 'image/gif',
	name,
	data: Buffer.from('GIF89a')
});

describe('withAttachments', () => {
	it('renders text files before the message with their names, and images as parts', () => {
		expect(
			withAttachments('Compare them.', [file('a.csv', 'x,y\n1,2'), image('p.gif'), file('b"<.md', '# B')])
		).toEqual({
			content:
				'<file name="a.csv">\nx,y\n1,2\n</file>\n\n<file name="b__.md">\n# B\n</file>\n\nCompare them.',
			images: [{ mediaType: 'image/gif', data: Buffer.from('GIF89a').toString('base64'), name: 'p.gif' }]
		});
	});

	it('leaves a message without attachments as it is', () => {
		expect(withAttachments('Hi', [])).toEqual({ content: 'Hi' });
	});
});

describe('withoutImages', () => {
	it('turns images into a note naming them, for a model that cannot read them', () => {
		const images = [{ mediaType: 'image/png' as const, data: 'AA==', name: 'chart.png' }];
		expect(
			withoutImages([
				{ role: 'user', content: 'Look', images },
				{ role: 'assistant', content: 'Nice.' }
			])
		).toEqual([
			{ role: 'user', content: '[An image not shown to this model: chart.png]\n\nLook' },
			{ role: 'assistant', content: 'Nice.' }
		]);
	});
});
