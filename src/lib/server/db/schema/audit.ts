import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AuditAction, AuditChanges, AuditTargetType } from '../../../schemas/audit';
import { users } from './users';

export const auditLog = pgTable(
	'audit_log',
	{
		id: uuid().primaryKey().defaultRandom(),
		// The row outlives its actor's account: the id goes, the email snapshot says who it was.
		actorId: uuid().references(() => users.id, { onDelete: 'set null' }),
		actorEmail: text().notNull(),
		action: text().$type<AuditAction>().notNull(),
		targetType: text().$type<AuditTargetType>().notNull(),
		targetId: text().notNull(),
		/** A readable name of the target when it happened (an email, a model id), so deleted targets still read well. */
		targetLabel: text(),
		/** `{ field: { from, to } }`; never a secret (see AuditValue). */
		changes: jsonb().$type<AuditChanges>().notNull().default({}),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('audit_log_created_idx').on(t.createdAt.desc(), t.id.desc()),
		index('audit_log_action_created_idx').on(t.action, t.createdAt.desc()),
		index('audit_log_actor_created_idx').on(t.actorId, t.createdAt.desc())
	]
);
