import { Marked, Renderer, type Token, type TokensList, type Tokens } from 'marked';
import { highlight } from './highlight';

/*
 * Markdown to HTML for model output and user text, which are both untrusted. This stage is safe
 * on its own (raw HTML is shown as text, only http(s)/mailto links survive, images become links,
 * language names are reduced to a fixed alphabet); sanitize.ts then runs DOMPurify over the result
 * in the browser as a second, independent layer.
 */

const escapes: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (ch) => escapes[ch]);
}

/** A fence's language as a safe token: `js {onclick=…}` → `js`, anything odd → ''. */
export function safeLanguage(info: string | undefined): string {
	const first = (info ?? '').trim().split(/\s+/)[0] ?? '';
	return /^[A-Za-z0-9_+#.-]{1,32}$/.test(first) ? first.toLowerCase() : '';
}

/**
 * Only absolute http(s) and mailto addresses are links. The scheme is read from the literal start
 * of the address, so encoded (`jav&#x61;script:`), spaced or mixed-case tricks never pass.
 */
export function safeHref(href: string | null | undefined): string | null {
	if (!href) return null;
	const trimmed = href.trim();
	// Control characters and whitespace are how `java\tscript:` tricks slip past naive checks.
	if (/\s/.test(trimmed) || [...trimmed].some((ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127))
		return null;
	return /^(https?:\/\/[^/]|mailto:[^/])/i.test(trimmed) ? trimmed : null;
}

const aliases: Record<string, string> = {
	js: 'javascript',
	jsx: 'javascript',
	ts: 'typescript',
	tsx: 'typescript',
	py: 'python',
	sh: 'bash',
	zsh: 'bash',
	console: 'shell',
	html: 'xml',
	svg: 'xml',
	yml: 'yaml',
	rs: 'rust',
	rb: 'ruby',
	'c++': 'cpp',
	cs: 'csharp',
	'c#': 'csharp',
	md: 'markdown',
	kt: 'kotlin',
	text: 'plaintext',
	txt: 'plaintext'
};

function codeBlock(text: string, info: string | undefined): string {
	const lang = safeLanguage(info);
	const language = aliases[lang] ?? lang;
	const body = highlight(text, language) ?? escapeHtml(text);
	const label = lang ? escapeHtml(lang) : 'text';
	const cls = language ? ` class="hljs language-${escapeHtml(language)}"` : ' class="hljs"';
	return (
		`<div class="code-block"><div class="code-head"><span class="code-lang">${label}</span>` +
		`<button type="button" class="code-copy" aria-label="Copy code">Copy</button></div>` +
		// Focusable: a long line scrolls the block sideways, and a keyboard must be able to scroll it.
		`<pre tabindex="0"><code${cls}>${body}</code></pre></div>\n`
	);
}

const marked = new Marked({
	gfm: true,
	// A line break in an answer is kept, as GitHub's comments and other chat apps keep it: models
	// write poems, addresses and step lists a line each, which would otherwise run into one line.
	breaks: true,
	renderer: {
		// Raw HTML in the source is shown as the text it is, never interpreted.
		html({ text }) {
			return escapeHtml(text);
		},
		// Wide tables scroll sideways in their own box (the page never does): focusable, for the keyboard.
		table(token: Tokens.Table) {
			return Renderer.prototype.table.call(this, token).replace('<table>', '<table tabindex="0">');
		},
		code({ text, lang }: Tokens.Code) {
			return codeBlock(text.replace(/\n$/, ''), lang);
		},
		link({ href, title, tokens }: Tokens.Link) {
			const inner = this.parser.parseInline(tokens);
			const safe = safeHref(href);
			if (!safe) return `<span class="link-blocked" title="Link removed: unsafe address">${inner}</span>`;
			const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
			return `<a href="${escapeHtml(safe)}"${titleAttr} target="_blank" rel="noopener noreferrer nofollow">${inner}</a>`;
		},
		// Remote images would call a third party (and can leak the conversation in their URL): link them instead.
		image({ href, text }: Tokens.Image) {
			const safe = safeHref(href);
			const label = escapeHtml(text || 'image');
			if (!safe) return `<span class="link-blocked">[${label}]</span>`;
			return `<a href="${escapeHtml(safe)}" target="_blank" rel="noopener noreferrer nofollow">[image: ${label}]</a>`;
		}
	}
});

/** Markdown to HTML that is already inert; still pass it through sanitizeHtml before inserting it. */
export function markdownToHtml(source: string): string {
	return marked.parse(source, { async: false });
}

/** The top-level blocks of a text (references already resolved into their inline tokens). */
export function markdownTokens(source: string): TokensList {
	return marked.lexer(source);
}

/**
 * One top-level block as HTML, inert like markdownToHtml's: the blocks of a text joined are
 * markdownToHtml of the text, since the parser renders top-level tokens independently.
 */
export function blockToHtml(token: Token): string {
	return marked.parser([token]);
}
