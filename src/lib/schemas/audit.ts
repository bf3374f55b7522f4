import { z } from 'zod';
import { timeCursorSchema, uuidSchema } from './common';

/**
 * Every admin action the audit log records: the one list the table's column type, the API's
 * filter and the audit page's select are all built from. Append only: stored rows keep their names.
 */
export const auditActions = [
	'provider.key_set',
	'provider.key_cleared',
	'provider.base_url_changed',
	'provider.enabled',
	'provider.disabled',
	'provider.default_changed',
	'provider.priority_changed',
	'provider.default_model_changed',
	'provider.settings_changed',
	'provider.created',
	'provider.deleted',
	'provider.renamed',
	'provider.headers_changed',
	'model.prices_changed',
	'model.enabled',
	'model.disabled',
	'model.limits_changed',
	'model.added',
	'model.deleted',
	'model.edited',
	'alias.set',
	'alias.deleted',
	'user.role_changed',
	'user.disabled',
	'user.enabled',
	'token.created',
	'token.revoked',
	'user.limits_changed',
	'settings.limits_changed'
] as const;
export const auditActionSchema = z.enum(auditActions);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditTargetTypes = ['provider', 'model', 'user', 'api_token', 'alias', 'settings'] as const;
export const auditTargetTypeSchema = z.enum(auditTargetTypes);
export type AuditTargetType = z.infer<typeof auditTargetTypeSchema>;

/**
 * A JSON value as stored in `changes`. A secret is never one of them: a key appears only as
 * `{ set: true }` or `{ cleared: true }`.
 */
export type AuditValue = string | number | boolean | null | { set: true } | { cleared: true };

/** `{ field: { from, to } }`: what one action changed, old value to new. */
export type AuditChanges = Record<string, { from: AuditValue; to: AuditValue }>;

/** Filters of `audit.list`. `to` is exclusive: the page sends the start of the day after the last one shown. */
export const auditListInput = z
	.object({
		action: auditActionSchema.optional(),
		actorId: uuidSchema.optional(),
		targetType: auditTargetTypeSchema.optional(),
		from: z.date().optional(),
		to: z.date().optional(),
		cursor: timeCursorSchema.nullish(),
		limit: z.number().int().min(1).max(100).default(50)
	})
	.refine((f) => !f.from || !f.to || f.from < f.to, {
		message: 'The start of the range must come before its end',
		path: ['to']
	});

export type AuditListInput = z.input<typeof auditListInput>;
