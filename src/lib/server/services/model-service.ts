import type { ModelUpdateInput } from '$lib/schemas/providers';
import type { Db } from '../db/client';
import {
	getModel,
	listModels,
	updateModel,
	type ProviderModelRow
} from '../db/repositories/model-repository';
import { AppError } from '../errors';
import { providerFailure } from '../errors-provider';
import type { ProviderManager } from '../providers/registry';
import { ProviderError } from '../providers/types';
import { modelAuditEntries } from './audit-changes';
import type { AuditActor, AuditService } from './audit-service';
import { toNumber } from './dto';

function toModelInfo(row: ProviderModelRow) {
	return {
		providerId: row.providerId,
		modelId: row.modelId,
		displayName: row.displayName,
		contextWindow: row.contextWindow,
		maxOutputTokens: row.maxOutputTokens,
		inputPricePerMTok: toNumber(row.inputPricePerMTok),
		outputPricePerMTok: toNumber(row.outputPricePerMTok),
		supportsTemperature: row.capabilities.temperature,
		supportsVision: row.capabilities.vision === true,
		enabled: row.enabled,
		source: row.source,
		lastSeenAt: row.lastSeenAt
	};
}

export type ModelInfo = ReturnType<typeof toModelInfo>;

export class ModelService {
	constructor(private readonly deps: { db: Db; providers: ProviderManager; audit: AuditService }) {}

	async list(input: { providerId?: string; includeDisabled?: boolean } = {}): Promise<ModelInfo[]> {
		const rows = await listModels(this.deps.db, {
			providerId: input.providerId,
			enabled: input.includeDisabled ? undefined : true
		});
		return rows.map(toModelInfo);
	}

	/** Discovery from the provider's list endpoint: new models are added, vanished ones counted. */
	async refresh(providerId: string) {
		try {
			return await this.deps.providers.discoverModels(providerId, AbortSignal.timeout(30_000));
		} catch (error) {
			if (error instanceof ProviderError) throw providerFailure(error);
			throw error;
		}
	}

	async update(input: ModelUpdateInput, actor: AuditActor): Promise<ModelInfo> {
		const row = await this.deps.db.transaction(async (tx) => {
			const before = await getModel(tx, input.providerId, input.modelId);
			if (!before) return undefined;
			const after = await updateModel(tx, input.providerId, input.modelId, {
				enabled: input.enabled,
				inputPricePerMTok: input.prices?.inputPerMTok,
				outputPricePerMTok: input.prices?.outputPerMTok,
				contextWindow: input.contextWindow,
				maxOutputTokens: input.maxOutputTokens,
				supportsTemperature: input.supportsTemperature,
				supportsVision: input.supportsVision
			});
			if (after) await this.deps.audit.record(tx, actor, modelAuditEntries(before, after));
			return after;
		});
		if (!row) throw new AppError('not_found', `Unknown model "${input.modelId}" for ${input.providerId}.`);
		this.deps.providers.invalidate();
		return toModelInfo(row);
	}
}
