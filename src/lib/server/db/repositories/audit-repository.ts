import { and, desc, eq, gte, lt, or, type SQL } from 'drizzle-orm';
import type { AuditAction, AuditTargetType } from '$lib/schemas/audit';
import type { Executor } from '../client';
import { auditLog } from '../schema';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = Omit<typeof auditLog.$inferInsert, 'id'>;

/** The last row of a page: the next page starts strictly after it (newest first, id breaks ties). */
export type AuditCursor = { createdAt: Date; id: string };

export type AuditFilter = {
	action?: AuditAction;
	actorId?: string;
	targetType?: AuditTargetType;
	from?: Date;
	/** Exclusive. */
	to?: Date;
	cursor?: AuditCursor;
	limit: number;
};

export async function insertAuditRows(db: Executor, rows: readonly NewAuditRow[]): Promise<void> {
	if (rows.length) await db.insert(auditLog).values([...rows]);
}

export async function listAuditRows(db: Executor, filter: AuditFilter): Promise<AuditRow[]> {
	const conditions: (SQL | undefined)[] = [];
	if (filter.action) conditions.push(eq(auditLog.action, filter.action));
	if (filter.actorId) conditions.push(eq(auditLog.actorId, filter.actorId));
	if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
	if (filter.from) conditions.push(gte(auditLog.createdAt, filter.from));
	if (filter.to) conditions.push(lt(auditLog.createdAt, filter.to));
	if (filter.cursor) {
		const { createdAt, id } = filter.cursor;
		conditions.push(
			or(lt(auditLog.createdAt, createdAt), and(eq(auditLog.createdAt, createdAt), lt(auditLog.id, id)))
		);
	}
	return db
		.select()
		.from(auditLog)
		.where(and(...conditions))
		.orderBy(desc(auditLog.createdAt), desc(auditLog.id))
		.limit(filter.limit);
}
