import { markdownToHtml } from './render';
import { sanitizeHtml } from './sanitize';

export { escapeHtml, markdownToHtml, safeHref, safeLanguage } from './render';
export { sanitizeHtml } from './sanitize';
export { copyCode } from './copy-code';

/** Safe HTML for untrusted markdown, or null where no DOM is available (SSR): show the text then. */
export function renderMarkdown(source: string): string | null {
	return sanitizeHtml(markdownToHtml(source));
}
