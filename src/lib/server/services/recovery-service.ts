import type { Db } from '../db/client';
import { failStreamingMessages } from '../db/repositories/message-repository';

/**
 * Answers that were streaming when the previous process died can never finish: mark them failed
 * (code `aborted`), keeping the text saved so far. Runs once at start, before requests are served.
 */
export function recoverInterruptedGenerations(db: Db): Promise<number> {
	return failStreamingMessages(db, {
		code: 'aborted',
		message: 'The server restarted while this answer was being written. What arrived before is kept.'
	});
}
