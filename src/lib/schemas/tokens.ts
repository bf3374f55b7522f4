import { z } from 'zod';
import { budgetUsdSchema } from './budget';

/**
 * What an API token may do. `chat` works in chats (send, stream, edit, branches), `completions`
 * runs stateless completions (the SDK's `complete`, /v1/chat/completions, /v1/messages), `read`
 * lists and reads (chats, models, usage). A token holds one or more; tokens made before scopes
 * existed hold all three. Which procedure needs which scope is one table: server/auth/token-access.ts.
 */
export const tokenScopes = ['chat', 'completions', 'read'] as const;
export const tokenScopeSchema = z.enum(tokenScopes);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

/** Expiry chosen at creation: a number of days from now, never, or a given date. */
export const tokenExpiryChoices = ['never', '7', '30', '90', 'date'] as const;
export type TokenExpiryChoice = (typeof tokenExpiryChoices)[number];

/**
 * Why a token was refused, in `error.data.tokenRefusal` (tRPC) so the SDK and CLI can tell the cases
 * apart: past its expiry, a procedure outside its scopes, or a model outside its allow-list.
 */
export const tokenRefusals = ['expired', 'scope', 'model'] as const;
export type TokenRefusal = (typeof tokenRefusals)[number];

/** An allow-list entry: `provider/model` (e.g. `openai/gpt-4o-mini`) or an alias name (`fast`). */
export const allowedModelSchema = z
	.string()
	.trim()
	.min(1, 'Name a model as provider/model, or an alias')
	.max(264)
	.regex(/^[^\s/]+(\/\S+)?$/, 'Name a model as provider/model, or an alias');

const DAY_MS = 86_400_000;

export const tokenCreateInput = z
	.object({
		name: z.string().trim().min(1, 'Name the token').max(100, 'Use at most 100 characters'),
		scopes: z
			.array(tokenScopeSchema)
			.min(1, 'Choose at least one scope')
			.transform((s) => [...new Set(s)])
			.default([...tokenScopes]),
		expires: z.enum(tokenExpiryChoices).default('never'),
		/** With `expires: 'date'`: the moment the token stops working. */
		expiresAt: z.coerce.date().optional(),
		/** Empty: any model the owner may use. */
		allowedModels: z
			.array(allowedModelSchema)
			.max(50, 'At most 50 models')
			.transform((m) => [...new Set(m)])
			.default([]),
		/** USD a month this token may spend (the owner's budget applies as well); unset: no budget of its own. */
		monthlyBudgetUsd: budgetUsdSchema.optional()
	})
	.superRefine((input, ctx) => {
		if (input.expires === 'date' && !input.expiresAt) {
			ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'Choose the date the token expires' });
		}
	});

export type TokenCreateInput = z.input<typeof tokenCreateInput>;
export type TokenCreateValues = z.output<typeof tokenCreateInput>;

/** The moment a new token expires, or null for never; a chosen date must lie ahead. */
export function tokenExpiresAt(
	input: Pick<TokenCreateValues, 'expires' | 'expiresAt'>,
	now: Date
): Date | null {
	if (input.expires === 'never') return null;
	if (input.expires === 'date') return input.expiresAt ?? null;
	return new Date(now.getTime() + Number(input.expires) * DAY_MS);
}
