/** One SSE frame; `event` names it for protocols (Anthropic) that type their events. */
export function sseFrame(data: unknown, event?: string): string {
	const payload = typeof data === 'string' ? data : JSON.stringify(data);
	return `${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`;
}
