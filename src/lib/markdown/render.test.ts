import { describe, expect, it } from 'vitest';
import { markdownToHtml, safeHref, safeLanguage } from './render';

describe('markdownToHtml', () => {
	it('renders ordinary markdown', () => {
		const html = markdownToHtml('# Title\n\nSome **bold** and `code`.\n\n- one\n- two');
		expect(html).toContain('<h1>Title</h1>');
		expect(html).toContain('<strong>bold</strong>');
		expect(html).toContain('<code>code</code>');
		expect(html).toContain('<li>one</li>');
	});

	it('keeps a line break inside a paragraph, as a chat answer writes it', () => {
		const html = markdownToHtml('Wires hum in the dark,\npackets cross the quiet relay,\nanswers come home.');
		expect(html).toBe(
			'<p>Wires hum in the dark,<br>packets cross the quiet relay,<br>answers come home.</p>\n'
		);
	});

	it('shows raw HTML as text instead of interpreting it', () => {
		const html = markdownToHtml('Hello <img src=x onerror="alert(1)"> and <script>alert(2)</script>');
		expect(html).not.toMatch(/<img/i);
		expect(html).not.toMatch(/<script/i);
		expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
	});

	it('escapes block-level HTML, iframes and SVG payloads', () => {
		const html = markdownToHtml(
			'<div onclick="x()">hi</div>\n\n<iframe src="https://evil.example"></iframe>\n\n<svg onload=alert(1)>'
		);
		expect(html).not.toMatch(/<(div|iframe|svg)\b/i);
		expect(html).toContain('&lt;iframe');
	});

	it('neutralises javascript:, data: and vbscript: links, however they are spelled', () => {
		for (const href of [
			'javascript:alert(1)',
			'JaVaScRiPt:alert(1)',
			' javascript:alert(1)',
			'jav&#x61;script:alert(1)',
			'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
			'vbscript:msgbox(1)',
			'//evil.example/path'
		]) {
			const html = markdownToHtml(`[click me](${href})`);
			expect(html, href).not.toMatch(/<a\b/);
			expect(html, href).toContain('click me');
		}
	});

	it('opens safe links in a new tab without an opener', () => {
		const html = markdownToHtml('[docs](https://example.com/a?b=1&c="2")');
		expect(html).toContain('href="https://example.com/a?b=1&amp;c=&quot;2&quot;"');
		expect(html).toContain('target="_blank"');
		expect(html).toContain('rel="noopener noreferrer nofollow"');
	});

	it('turns images into links instead of loading them', () => {
		const html = markdownToHtml('![chart](https://tracker.example/pixel.png?q=secret)');
		expect(html).not.toMatch(/<img/i);
		expect(html).toContain('[image: chart]');
		expect(markdownToHtml('![x](javascript:alert(1))')).not.toMatch(/<a\b/);
	});

	it('highlights fenced code and adds a copy button', () => {
		const html = markdownToHtml('```ts\nconst a: number = 1;\n```');
		expect(html).toContain('class="code-block"');
		expect(html).toContain('class="hljs language-typescript"');
		expect(html).toContain('hljs-keyword');
		expect(html).toContain('<button type="button" class="code-copy"');
	});

	it('keeps fence language names from injecting attributes', () => {
		const html = markdownToHtml(
			'```js" onmouseover="alert(1)\nx\n```\n\n```"><img src=x onerror=alert(1)>\ny\n```'
		);
		expect(html).not.toContain('onmouseover="');
		expect(html).not.toMatch(/<img/i);
	});

	it('escapes code in unknown languages', () => {
		const html = markdownToHtml('```brainfunk\n<script>alert(1)</script>\n```');
		expect(html).toContain('&lt;script&gt;');
		expect(html).not.toContain('<script>');
	});

	it('copes with an unfinished fence while streaming', () => {
		const html = markdownToHtml('Here:\n\n```python\nprint("hi")');
		expect(html).toContain('language-python');
	});
});

describe('safeHref', () => {
	it('accepts http, https and mailto only', () => {
		expect(safeHref('https://example.com')).toBe('https://example.com');
		expect(safeHref('http://example.com/x')).toBe('http://example.com/x');
		expect(safeHref('mailto:a@example.com')).toBe('mailto:a@example.com');
		expect(safeHref('/relative')).toBeNull();
		expect(safeHref('java\tscript:alert(1)')).toBeNull();
		expect(safeHref('https://exa mple.com')).toBeNull();
		expect(safeHref(null)).toBeNull();
	});
});

describe('safeLanguage', () => {
	it('keeps a plain token and drops anything else', () => {
		expect(safeLanguage('TypeScript')).toBe('typescript');
		expect(safeLanguage('c++ title="x"')).toBe('c++');
		expect(safeLanguage('"><svg')).toBe('');
		expect(safeLanguage(undefined)).toBe('');
	});
});

describe('scrolling boxes in rendered markdown', () => {
	it('makes tables and code blocks focusable, so a keyboard can scroll them sideways', () => {
		const html = markdownToHtml('| a | b |\n| --- | --- |\n| 1 | 2 |\n\n```ts\nconst x = 1;\n```');
		expect(html).toContain('<table tabindex="0">');
		expect(html).toContain('<td>1</td>');
		expect(html).toContain('<pre tabindex="0"><code class="hljs language-typescript">');
	});
});
