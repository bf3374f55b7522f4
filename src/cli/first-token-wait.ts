import { FIRST_TOKEN_LATE_MS } from '../lib/first-token-late';
import type { Output } from './io';

/** Erases the line the cursor is on and returns to its start. */
const CLEAR_LINE = '\r\u001b[2K';

export type FirstTokenWait = {
	/** Who is answering now (the run's `start`, then each `fallback`). */
	answering(providerId: string, modelId: string): void;
	/** The first text arrived, or the run ended: the line goes, the timer stops. */
	done(): void;
};

/**
 * On a terminal, one line on stderr once the first text is late, saying for how long it has been
 * waited for: a rate-limited or overloaded provider keeps the server waiting and retrying, which the
 * stream does not announce, and a silent prompt looks the same at 2 s and at 40 s. The line is
 * rewritten in place every second and erased before the answer starts, so stdout's text is never
 * mixed with it. Off a terminal (a pipe, a file) nothing is written.
 */
export function firstTokenWait(stderr: Output): FirstTokenWait {
	if (!stderr.isTTY) return { answering: () => {}, done: () => {} };
	const started = Date.now();
	let who = 'the answer';
	let shown = false;
	const timer = setInterval(() => {
		const waited = Date.now() - started;
		if (waited < FIRST_TOKEN_LATE_MS) return;
		stderr.write(`${CLEAR_LINE}Waiting for ${who} · ${Math.floor(waited / 1000)} s`);
		shown = true;
	}, 1_000);
	// A wait line never keeps the process alive on its own.
	timer.unref?.();
	return {
		answering(providerId, modelId) {
			who = `${providerId}/${modelId}`;
		},
		done() {
			clearInterval(timer);
			if (shown) stderr.write(CLEAR_LINE);
			shown = false;
		}
	};
}
