import { AppError } from '../errors';

/**
 * Who may run an import now. An import holds its file several times over while it runs (the request
 * body, its text, the parsed file, the decoded attachments: some four times a file of up to 64 MB),
 * so each person runs one at a time and the process `limit` at once. One more is refused at once
 * (429, try again shortly), before its body is read: the admission sits in front of the input.
 */
export class ImportAdmission {
	readonly #running = new Set<string>();

	constructor(private readonly limit = 2) {}

	/** Admits `userId`'s import, or throws why not; the returned function ends it (once). */
	enter(userId: string): () => void {
		if (this.#running.has(userId)) {
			throw new AppError(
				'too_many_requests',
				'Your previous import is still running. Wait for it to finish.',
				{
					retryAfterMs: 5_000
				}
			);
		}
		if (this.#running.size >= this.limit) {
			throw new AppError(
				'too_many_requests',
				'Other imports are running on the server. Try again in a moment.',
				{
					retryAfterMs: 5_000
				}
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
