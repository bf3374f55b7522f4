import { AppError } from '../errors';

/**
 * Who may run an import or a large export now. Each holds its file several times over in memory
 * while it runs (an import: the request body, its text, the parsed file, the decoded attachments,
 * some four times a file of up to 64 MB; an export: the files, their base64, the JSON text and the
 * response, some five times), so each person runs one at a time and the process `limit` at once.
 * One more is refused at once (429, try again shortly): an import before its body is read (the
 * admission sits in front of the input), an export before anything is loaded.
 */
export class TransferAdmission {
	readonly #running = new Set<string>();

	constructor(private readonly limit = 2) {}

	/** Admits `userId`'s transfer, or throws why not; the returned function ends it (once). */
	enter(userId: string): () => void {
		if (this.#running.has(userId)) {
			throw new AppError(
				'too_many_requests',
				'Your previous import or export is still running. Wait for it to finish.',
				{ retryAfterMs: 5_000 }
			);
		}
		if (this.#running.size >= this.limit) {
			throw new AppError(
				'too_many_requests',
				'Other imports and exports are running on the server. Try again in a moment.',
				{ retryAfterMs: 5_000 }
			);
		}
		this.#running.add(userId);
		let ended = false;
		return () => {
			if (ended) return;
			ended = true;
			this.#running.delete(userId);
		};
	}
}
