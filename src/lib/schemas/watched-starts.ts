/**
 * The mutations that start a generation and answer with its events in JSON lines (httpBatchStreamLink):
 * the SDK sends these with its streaming link, the server's lean route writes their lines itself.
 */
export const WATCHED_START_PATHS: ReadonlySet<string> = new Set([
	'chats.sendAndWatch',
	'completions.startAndWatch'
]);
