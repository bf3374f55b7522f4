import { describe, expect, it } from 'vitest';
import { longAnswer } from '../../../tests/e2e/support/long-answer';
import { blockRenderer } from './blocks';
import { markdownToHtml, markdownTokens } from './render';

/** A renderer whose "sanitizer" counts the blocks it is given (the real one needs a DOM). */
function counting() {
	const seen: string[] = [];
	const render = blockRenderer((html) => (seen.push(html), html));
	return { render, seen };
}

describe('renderBlocks', () => {
	it('the blocks joined are the whole text rendered at once', () => {
		const samples = [
			longAnswer(7),
			'# T\n\nSee [the docs][d] and [x].\n\n- a\n- b\n\n  c\n\n> quote\nlazy line\n\n[d]: https://example.com\n',
			'Setext heading\n---\n\n1. one\n2. two\n\n```\nplain\n```'
		];
		for (const source of samples) {
			const { render } = counting();
			expect(render(source, { final: true })!.join('')).toBe(markdownToHtml(source));
		}
	});

	it('a finished message is rendered once, and a block shared with another message is reused', () => {
		const { render, seen } = counting();
		const first = render('Intro.\n\n```ts\nlet a = 1;\n```', { final: true });
		const count = seen.length;
		expect(render('Intro.\n\n```ts\nlet a = 1;\n```', { final: true })).toBe(first);
		render('Other.\n\n```ts\nlet a = 1;\n```', { final: true });
		expect(seen.length).toBe(count + 1);
		expect(seen.at(-1)).toContain('Other.');
	});

	it('while streaming, only the growing last block is rendered again', () => {
		const { render, seen } = counting();
		const text = longAnswer(3);
		let rendered = 0;
		for (let end = 400; end < text.length; end += 40) {
			const before = seen.length;
			render(text.slice(0, end), { final: false });
			rendered += seen.length - before;
		}
		const frames = Math.ceil((text.length - 400) / 40);
		const blocks = markdownTokens(text).length;
		// Once per frame for the last block, plus once for each block as it becomes complete.
		expect(rendered).toBeLessThanOrEqual(frames + blocks);
	});

	it('a reference definition arriving later re-renders the blocks that use it', () => {
		const { render } = counting();
		expect(render('See [x].', { final: false })!.join('')).not.toContain('href');
		expect(render('See [x].\n\n[x]: https://example.com', { final: true })!.join('')).toContain(
			'href="https://example.com"'
		);
	});

	it('without a DOM to sanitize with, there is no HTML', () => {
		expect(blockRenderer(() => null)('**bold**', { final: true })).toBeNull();
	});
});
