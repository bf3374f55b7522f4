import createDOMPurify, { type DOMPurify } from 'dompurify';

let purifier: DOMPurify | null = null;

/** One DOMPurify instance of our own, so its hooks never leak into other users of the library. */
function getPurifier(): DOMPurify | null {
	if (purifier) return purifier;
	if (typeof window === 'undefined') return null;
	const instance = createDOMPurify(window);
	instance.addHook('afterSanitizeAttributes', (node) => {
		if (node.nodeName !== 'A') return;
		const el = node as Element;
		if (el.hasAttribute('href')) {
			el.setAttribute('target', '_blank');
			el.setAttribute('rel', 'noopener noreferrer nofollow');
		} else {
			el.removeAttribute('target');
		}
	});
	purifier = instance;
	return instance;
}

const config = {
	USE_PROFILES: { html: true },
	FORBID_TAGS: ['style', 'form', 'img', 'svg', 'math', 'iframe', 'object', 'embed', 'link', 'meta', 'base'],
	FORBID_ATTR: ['style', 'srcset', 'formaction', 'action'],
	ADD_ATTR: ['target'],
	// The renderer makes wide tables and code blocks focusable, so a keyboard can scroll them. Not a URI:
	// without this the strict ALLOWED_URI_REGEXP below would drop its value "0".
	ADD_URI_SAFE_ATTR: ['tabindex'],
	ALLOW_DATA_ATTR: false,
	ADD_DATA_URI_TAGS: [],
	ALLOWED_URI_REGEXP: /^(?:https?:\/\/|mailto:)/i,
	RETURN_TRUSTED_TYPE: false
};

/**
 * Sanitizes HTML in the browser. On the server (no DOM) it returns null: callers show the plain
 * text instead, so unsanitized HTML is never produced there.
 */
export function sanitizeHtml(html: string): string | null {
	const instance = getPurifier();
	if (!instance) return null;
	return instance.sanitize(html, config);
}
