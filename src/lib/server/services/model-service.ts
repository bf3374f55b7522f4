import type { ModelCreateInput, ModelUpdateInput } from '$lib/schemas/providers';
import { samplingSupport } from '$lib/schemas/sampling';
import type { Db } from '../db/client';
import { getProviderConfig } from '../db/repositories/provider-repository';
import {
	deleteModel,
	getModel,
	insertModel,
	listModels,
	updateModel,
	type ProviderModelRow
} from '../db/repositories/model-repository';
import { AppError } from '../errors';
import { providerFailure } from '../provider-failure';
import type { ProviderManager } from './provider-manager';
import { ProviderError } from '../providers/types';
import { catalogEntry, modelAuditEntries } from './audit-changes';
import type { AuditActor, AuditService } from './audit-service';
import { toNumber } from './dto';

function toModelInfo(row: ProviderModelRow) {
	const supports = samplingSupport(row.capabilities);
	return {
		providerId: row.providerId,
		modelId: row.modelId,
		displayName: row.displayName,
		contextWindow: row.contextWindow,
		maxOutputTokens: row.maxOutputTokens,
		inputPricePerMTok: toNumber(row.inputPricePerMTok),
		outputPricePerMTok: toNumber(row.outputPricePerMTok),
		cacheReadPricePerMTok: toNumber(row.cacheReadPricePerMTok),
		cacheWritePricePerMTok: toNumber(row.cacheWritePricePerMTok),
		supportsTemperature: supports.temperature,
		supportsTopP: supports.topP,
		supportsStop: supports.stop,
		supportsSeed: supports.seed,
		supportsVision: row.capabilities.vision === true,
		/** The admin's setting: it takes effect on kinds that take cache breakpoints (kindInfo.promptCaching). */
		promptCaching: row.capabilities.promptCaching !== false,
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
				cacheReadPricePerMTok: input.prices?.cacheReadPerMTok,
				cacheWritePricePerMTok: input.prices?.cacheWritePerMTok,
				contextWindow: input.contextWindow,
				maxOutputTokens: input.maxOutputTokens,
				supportsTemperature: input.supportsTemperature,
				displayName: input.displayName,
				supportsVision: input.supportsVision,
				promptCaching: input.promptCaching
			});
			if (after) await this.deps.audit.record(tx, actor, modelAuditEntries(before, after));
			return after;
		});
		if (!row) throw new AppError('not_found', `Unknown model "${input.modelId}" for ${input.providerId}.`);
		this.deps.providers.changed();
		return toModelInfo(row);
	}

	/** A model the provider's list does not show (or that it has no list for), added by hand. */
	async create(input: ModelCreateInput, actor: AuditActor): Promise<ModelInfo> {
		const { db, providers, audit } = this.deps;
		const row = await db.transaction(async (tx) => {
			if (!(await getProviderConfig(tx, input.providerId))) {
				throw new AppError('not_found', `Unknown provider "${input.providerId}".`, { field: 'providerId' });
			}
			const inserted = await insertModel(tx, {
				providerId: input.providerId,
				modelId: input.modelId,
				displayName: input.displayName,
				contextWindow: input.contextWindow,
				maxOutputTokens: input.maxOutputTokens,
				inputPricePerMTok: price(input.prices.inputPerMTok),
				outputPricePerMTok: price(input.prices.outputPerMTok),
				cacheReadPricePerMTok: price(input.prices.cacheReadPerMTok ?? null),
				cacheWritePricePerMTok: price(input.prices.cacheWritePerMTok ?? null),
				capabilities: {
					temperature: input.supportsTemperature,
					vision: input.supportsVision,
					promptCaching: input.promptCaching
				},
				source: 'manual'
			});
			if (!inserted) {
				throw new AppError('conflict', `${input.providerId} already has the model "${input.modelId}".`, {
					field: 'modelId'
				});
			}
			await audit.record(tx, actor, [
				catalogEntry('model.added', modelTarget(inserted), {
					displayName: { from: null, to: inserted.displayName }
				})
			]);
			return inserted;
		});
		providers.changed();
		return toModelInfo(row);
	}

	/** Removes a model from the catalog; usage rows keep their own figures and cost. */
	async delete(providerId: string, modelId: string, actor: AuditActor): Promise<{ deleted: true }> {
		const { db, providers, audit } = this.deps;
		await db.transaction(async (tx) => {
			const row = await deleteModel(tx, providerId, modelId);
			if (!row) throw new AppError('not_found', `Unknown model "${modelId}" for ${providerId}.`);
			await audit.record(tx, actor, [
				catalogEntry('model.deleted', modelTarget(row), { displayName: { from: row.displayName, to: null } })
			]);
		});
		providers.changed();
		return { deleted: true };
	}
}

const price = (value: number | null) => (value === null ? null : String(value));
const modelTarget = (row: ProviderModelRow) => ({
	type: 'model' as const,
	id: `${row.providerId}/${row.modelId}`,
	label: row.displayName
});
