import type { Db } from '../db/client';
import type { MessageError } from '../db/schema';
import { finalizeMessage } from '../db/repositories/message-repository';
import { insertUsage, type NewUsage } from '../db/repositories/usage-repository';
import { describeError, log } from '../log';
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

/** The answer and every attempt's usage row, written together. */
export async function persistOutcome(
	db: Db,
	spec: GenerationSpec,
	outcome: GenerationOutcome,
	usageRows: NewUsage[]
): Promise<void> {
	const cost = totalCost(usageRows);
	try {
		await db.transaction(async (tx) => {
			if (spec.messageId) {
				await finalizeMessage(tx, spec.messageId, {
					content: outcome.text,
					status: outcome.status,
					providerId: outcome.providerId,
					modelId: outcome.modelId,
					finishReason: outcome.finishReason,
					error: messageError(outcome),
					inputTokens: outcome.usage.inputTokens,
					outputTokens: outcome.usage.outputTokens,
					costUsd: cost === null ? null : String(cost),
					usageEstimated: outcome.usage.estimated
				});
			}
			await insertUsage(tx, usageRows);
		});
	} catch (caught) {
		// The stream still ends for its watchers; the restart recovery settles the message.
		log.error('could not save a finished generation', { id: spec.id, error: describeError(caught) });
	}
}
