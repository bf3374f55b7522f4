import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/client';
import type { MessageError } from '../db/schema';
import { finalizeMessage, settleStreamingMessage } from '../db/repositories/message-repository';
import { insertUsage, type NewUsage } from '../db/repositories/usage-repository';
import { writeFailed, type AppError } from '../errors';
import { describeError, log } from '../log';
import type { ProviderErrorCode } from '../providers/types';
import { addCosts } from './cost';
import type { GenerationOutcome, GenerationSpec } from './spec';

function messageError(outcome: GenerationOutcome): MessageError | null {
	if (!outcome.error) return null;
	const { code, message, retryAfterMs } = outcome.error;
	return { code, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** The message's cost is every attempt's: a failed attempt before a fallback may have cost something. */
function totalCost(usageRows: NewUsage[]): number | null {
	return usageRows.reduce<number | null>(
		(sum, row) =>
			addCosts(sum, row.costUsd === null || row.costUsd === undefined ? null : Number(row.costUsd)),
		0
	);
}

/** What an answer whose final write failed says, live, stored and replayed. */
export const unsavedAnswer: { code: ProviderErrorCode; message: string } = {
	code: 'unavailable',
	message: 'The database could not save this answer when it ended. What arrived before is shown.'
};

/** Tries of the final transaction; a full disk or a failover often clears within a second. */
const SAVE_TRIES = 3;
const SAVE_BACKOFF_MS = 200;

/** The answer and every attempt's usage row, written together in one statement. */
function writeOutcome(db: Db, spec: GenerationSpec, outcome: GenerationOutcome, usageRows: NewUsage[]) {
	if (!spec.messageId) return insertUsage(db, usageRows);
	const cost = totalCost(usageRows);
	return finalizeMessage(
		db,
		spec.messageId,
		{
			content: outcome.text,
			status: outcome.status,
			providerId: outcome.providerId,
			modelId: outcome.modelId,
			finishReason: outcome.finishReason,
			error: messageError(outcome),
			inputTokens: outcome.usage.inputTokens,
			outputTokens: outcome.usage.outputTokens,
			cacheReadTokens: outcome.usage.cacheReadTokens,
			cacheWriteTokens: outcome.usage.cacheWriteTokens,
			costUsd: cost === null ? null : String(cost),
			usageEstimated: outcome.usage.estimated
		},
		usageRows
	);
}

/**
 * Saves a finished generation: the full write, retried with backoff; if it still fails, the answer
 * alone is marked failed with its text in one small statement, so it is not left `streaming`.
 * Resolves to null once saved whole, else to the error the stream and the caller report.
 */
export async function persistOutcome(
	db: Db,
	spec: GenerationSpec,
	outcome: GenerationOutcome,
	usageRows: NewUsage[]
): Promise<AppError | null> {
	let failure: unknown;
	for (let tries = 1; tries <= SAVE_TRIES; tries++) {
		try {
			await writeOutcome(db, spec, outcome, usageRows);
			return null;
		} catch (caught) {
			failure = caught;
			log.warn('could not save a finished generation', { id: spec.id, tries, error: describeError(caught) });
			if (tries < SAVE_TRIES) await sleep(SAVE_BACKOFF_MS * 2 ** (tries - 1));
		}
	}
	const error = writeFailed(failure, 'this answer');
	if (spec.messageId) {
		try {
			await settleStreamingMessage(db, spec.messageId, {
				status: 'error',
				finishReason: 'error',
				content: outcome.text,
				providerId: outcome.providerId,
				modelId: outcome.modelId,
				error: unsavedAnswer
			});
		} catch (caught) {
			// Left `streaming`: watchers, stop and regenerate treat an answer no run owns as ended.
			log.error('could not mark an unsaved answer as failed', { id: spec.id, error: describeError(caught) });
		}
	}
	return error;
}
