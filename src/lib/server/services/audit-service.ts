import type { z } from 'zod';
import type { auditListInput } from '$lib/schemas/audit';
import type { AuthUser } from '$lib/schemas/auth';
import { encodeTimeCursor } from '$lib/schemas/common';
import type { Db, Executor } from '../db/client';
import * as auditRepo from '../db/repositories/audit-repository';
import type { AuditEntry } from './audit-changes';

/** Who did it: the signed-in user (an admin, or a member managing their own tokens). */
export type AuditActor = Pick<AuthUser, 'id' | 'email'>;

export type AuditListFilter = z.output<typeof auditListInput>;

function toAuditDto(row: auditRepo.AuditRow) {
	return {
		id: row.id,
		createdAt: row.createdAt,
		actor: { id: row.actorId, email: row.actorEmail },
		action: row.action,
		target: { type: row.targetType, id: row.targetId, label: row.targetLabel },
		changes: row.changes
	};
}

export type AuditDto = ReturnType<typeof toAuditDto>;

export class AuditService {
	constructor(private readonly deps: { db: Db }) {}

	/**
	 * Writes the entries with the executor of the change they describe, so the change and its record
	 * commit or roll back together. One timestamp per call, taken in JS: millisecond precision keeps
	 * the (createdAt, id) cursor exact when it travels through a Date.
	 */
	async record(executor: Executor, actor: AuditActor, entries: readonly AuditEntry[]): Promise<void> {
		const createdAt = new Date();
		await auditRepo.insertAuditRows(
			executor,
			entries.map((entry) => ({
				actorId: actor.id,
				actorEmail: actor.email,
				action: entry.action,
				targetType: entry.target.type,
				targetId: entry.target.id,
				targetLabel: entry.target.label,
				changes: entry.changes,
				createdAt
			}))
		);
	}

	/** Newest first, one page at a time. */
	async list(filter: AuditListFilter) {
		const rows = await auditRepo.listAuditRows(this.deps.db, {
			action: filter.action,
			actorId: filter.actorId,
			targetType: filter.targetType,
			from: filter.from,
			to: filter.to,
			cursor: filter.cursor ? { createdAt: filter.cursor.at, id: filter.cursor.id } : undefined,
			limit: filter.limit + 1
		});
		const page = rows.slice(0, filter.limit);
		const last = page.at(-1);
		return {
			items: page.map(toAuditDto),
			nextCursor: rows.length > filter.limit && last ? encodeTimeCursor(last.createdAt, last.id) : null
		};
	}
}
