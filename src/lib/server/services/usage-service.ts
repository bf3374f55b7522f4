import type { UserRole } from '$lib/schemas/auth';
import type { UsageSummaryInput } from '$lib/schemas/usage';
import type { Db } from '../db/client';
import { findChat } from '../db/repositories/chat-repository';
import { listUsageForChat, summarizeUsage } from '../db/repositories/usage-repository';
import { AppError } from '../errors';
import { toNumber, toUsageDto } from './dto';

type Viewer = { id: string; role: UserRole };

export class UsageService {
	constructor(private readonly deps: { db: Db }) {}

	/** Members see their own usage; admins see everyone's, or one user's. */
	async summary(viewer: Viewer, input: UsageSummaryInput) {
		if (
			viewer.role !== 'admin' &&
			(input.groupBy === 'user' || (input.userId && input.userId !== viewer.id))
		) {
			throw new AppError('forbidden', "Only admins can see other people's usage.");
		}
		const rows = await summarizeUsage(this.deps.db, {
			groupBy: input.groupBy,
			userId: viewer.role === 'admin' ? input.userId : viewer.id,
			providerId: input.providerId,
			source: input.source,
			from: input.from,
			to: input.to
		});
		return rows.map((row) => ({
			key: row.key,
			requests: row.requests,
			inputTokens: row.inputTokens ?? 0,
			outputTokens: row.outputTokens ?? 0,
			/** Of inputTokens, those read from and written to the prompt cache. */
			cacheReadTokens: row.cacheReadTokens ?? 0,
			cacheWriteTokens: row.cacheWriteTokens ?? 0,
			costUsd: toNumber(row.costUsd) ?? 0,
			/** Requests whose model has no price: their cost is missing from costUsd. */
			unpricedRequests: row.unpricedRequests,
			estimatedRequests: row.estimatedRequests,
			errors: row.errors
		}));
	}

	async byChat(userId: string, chatId: string) {
		const chat = await findChat(this.deps.db, userId, chatId);
		if (!chat) throw new AppError('not_found', 'That chat does not exist.');
		const rows = await listUsageForChat(this.deps.db, userId, chatId);
		return rows.map(toUsageDto);
	}
}
