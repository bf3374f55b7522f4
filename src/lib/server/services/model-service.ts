import type { ModelUpdateInput } from '$lib/schemas/providers';
import type { Db } from '../db/client';
import { listModels, updateModel, type ProviderModelRow } from '../db/repositories/model-repository';
import { AppError } from '../errors';
import { providerFailure } from '../errors-provider';
import type { ProviderManager } from '../providers/registry';
import { ProviderError } from '../providers/types';
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
		enabled: row.enabled,
		source: row.source,
		lastSeenAt: row.lastSeenAt
	};
}

export type ModelInfo = ReturnType<typeof toModelInfo>;

export class ModelService {
	constructor(private readonly deps: { db: Db; providers: ProviderManager }) {}

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

	async update(input: ModelUpdateInput): Promise<ModelInfo> {
		const row = await updateModel(this.deps.db, input.providerId, input.modelId, {
			enabled: input.enabled,
			inputPricePerMTok: input.prices?.inputPerMTok,
			outputPricePerMTok: input.prices?.outputPerMTok,
			contextWindow: input.contextWindow,
			maxOutputTokens: input.maxOutputTokens,
			supportsTemperature: input.supportsTemperature
		});
		if (!row) throw new AppError('not_found', `Unknown model "${input.modelId}" for ${input.providerId}.`);
		this.deps.providers.invalidate();
		return toModelInfo(row);
	}
}
