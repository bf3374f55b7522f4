/**
 * Postgres text cannot hold U+0000 (NUL): an answer with one in it could not be saved at all (its final
 * write refused, the answer left `streaming` until a restart). A saved answer's NULs become U+FFFD, the
 * replacement character, in its deltas as in the database, so the deltas still add up to the stored text.
 */
export function storableText(text: string): string {
	return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}
