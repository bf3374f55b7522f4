export { escapeHtml, markdownToHtml, safeHref, safeLanguage } from './render';
export { sanitizeHtml } from './sanitize';
export { copyCode } from './copy-code';
export { renderBlocks } from './blocks';
