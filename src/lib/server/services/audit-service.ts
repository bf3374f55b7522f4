import type { z } from 'zod';
import type { auditListInput } from '$lib/schemas/audit';
import type { AuthUser } from '$lib/schemas/auth';
import type { Db, Executor } from '../db/client';
import * as auditRepo from '../db/repositories/audit-repository';
import { AppError } from '../errors';
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

function encodeCursor(row: auditRepo.AuditRow): string {
	return `${row.createdAt.toISOString()}_${row.id}`;
}

function decodeCursor(cursor: string): auditRepo.AuditCursor {
	const [iso, id] = cursor.split('_');
	const createdAt = new Date(iso);
	if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) {
		throw new AppError('bad_request', 'Invalid cursor.', { field: 'cursor' });
	}
	return { createdAt, id };
}

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
			cursor: filter.cursor ? decodeCursor(filter.cursor) : undefined,
			limit: filter.limit + 1
		});
		const page = rows.slice(0, filter.limit);
		return {
			items: page.map(toAuditDto),
			nextCursor: rows.length > filter.limit ? encodeCursor(page[page.length - 1]) : null
		};
	}
}
