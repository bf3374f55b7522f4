import type { AliasSetInput } from '$lib/schemas/providers';
import type { Db } from '../db/client';
import { deleteAlias, getAlias, setAlias, type ModelAliasRow } from '../db/repositories/alias-repository';
import { AppError } from '../errors';
import type { ProviderManager } from './provider-manager';
import { catalogEntry } from './audit-changes';
import type { AuditActor, AuditService } from './audit-service';

function toAliasInfo(row: ModelAliasRow) {
	return { name: row.name, providerId: row.providerId, modelId: row.modelId, updatedAt: row.updatedAt };
}
export type AliasInfo = ReturnType<typeof toAliasInfo>;

/** Named aliases (`fast`, `smart`): every door resolves them through the provider manager. */
export class AliasService {
	constructor(private readonly deps: { db: Db; providers: ProviderManager; audit: AuditService }) {}

	async list(): Promise<AliasInfo[]> {
		return (await this.deps.providers.aliases()).map(toAliasInfo);
	}

	/** Creates or repoints an alias; the target must be a model that answers today. */
	async set(input: AliasSetInput, actor: AuditActor): Promise<AliasInfo> {
		const { db, providers, audit } = this.deps;
		const target = await providers.resolve({ providerId: input.providerId, modelId: input.modelId });
		if (target.alias) {
			throw new AppError('bad_request', 'An alias points at a model, not at another alias.', {
				field: 'modelId'
			});
		}
		const row = await db.transaction(async (tx) => {
			const before = await getAlias(tx, input.name);
			const after = await setAlias(tx, input);
			const where = (r: ModelAliasRow | undefined) => (r ? `${r.providerId}/${r.modelId}` : null);
			await audit.record(tx, actor, [
				catalogEntry(
					'alias.set',
					{ type: 'alias', id: input.name, label: input.name },
					{ target: { from: where(before), to: where(after) } }
				)
			]);
			return after;
		});
		providers.changed();
		return toAliasInfo(row);
	}

	async delete(name: string, actor: AuditActor): Promise<{ deleted: true }> {
		const { db, providers, audit } = this.deps;
		await db.transaction(async (tx) => {
			const row = await deleteAlias(tx, name);
			if (!row) throw new AppError('not_found', `Unknown alias "${name}".`, { field: 'name' });
			await audit.record(tx, actor, [
				catalogEntry(
					'alias.deleted',
					{ type: 'alias', id: name, label: name },
					{ target: { from: `${row.providerId}/${row.modelId}`, to: null } }
				)
			]);
		});
		providers.changed();
		return { deleted: true };
	}
}
