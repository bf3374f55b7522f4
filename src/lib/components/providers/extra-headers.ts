/**
 * Extra headers as an admin types them, one `Name: value` per line. Lines that do not parse are
 * returned so the form can name them; the server validates names and values again.
 */
export function parseHeaderLines(text: string): { headers: Record<string, string>; bad: string[] } {
	const headers: Record<string, string> = {};
	const bad: string[] = [];
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		if (!line) continue;
		const colon = line.indexOf(':');
		const name = colon > 0 ? line.slice(0, colon).trim() : '';
		const value = colon > 0 ? line.slice(colon + 1).trim() : '';
		if (name && value) headers[name] = value;
		else bad.push(line);
	}
	return { headers, bad };
}
