const integer = new Intl.NumberFormat('en-US');

/** `1 chat`, `1,000 chats`: a count with its noun, for the sentences the UI and the CLI write. */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
	return `${integer.format(count)} ${count === 1 ? noun : plural}`;
}
