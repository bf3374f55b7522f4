import { blockToHtml, markdownTokens } from './render';
import { sanitizeHtml } from './sanitize';
import { WeightedCache } from './weighted-cache';

/*
 * Markdown rendered block by block (a paragraph, a table, a code block, a list): each block is
 * parsed, highlighted and sanitized once and cached by its text, and a finished message's blocks by
 * the message. Scrolling back through a long chat, or opening it again, costs cache lookups; a
 * streaming answer renders only the block still growing, and the blocks above it keep their DOM.
 */

/**
 * Sanitized HTML for each block of `source`, or null where there is no DOM (server rendering: show
 * the text). `final`: the text will not grow (not streaming), so its last block and the whole list
 * are cached too; a streaming answer's last block changes every frame and would only crowd the cache.
 */
export type RenderBlocks = (source: string, options: { final: boolean }) => string[] | null;

/** `maxChars`: what each cache holds (HTML plus keys), about 2 bytes a character. */
export function blockRenderer(sanitize: (html: string) => string | null, maxChars = 4_000_000): RenderBlocks {
	const blocks = new WeightedCache<string>(maxChars);
	const messages = new WeightedCache<string[]>(maxChars);
	return (source, { final }) => {
		const known = final ? messages.get(source) : undefined;
		if (known) return known;
		const tokens = markdownTokens(source);
		// A reference definition anywhere changes how blocks that use it render: it is part of their key.
		const refs = Object.keys(tokens.links).length ? `${JSON.stringify(tokens.links)}\u0000` : '';
		const out: string[] = [];
		for (const [i, token] of tokens.entries()) {
			const cacheable = final || i < tokens.length - 1;
			const key = refs + token.raw;
			let html = cacheable ? blocks.get(key) : undefined;
			if (html === undefined) {
				const safe = sanitize(blockToHtml(token));
				if (safe === null) return null;
				html = safe;
				if (cacheable) blocks.set(key, html, key.length + html.length);
			}
			// Blank lines and reference definitions render to nothing: no empty entries to keep in step.
			if (html) out.push(html);
		}
		if (final) messages.set(source, out, source.length + out.reduce((n, h) => n + h.length, 0));
		return out;
	};
}

/** The browser's renderer, shared by every message on the page. */
export const renderBlocks = blockRenderer(sanitizeHtml);
