import type { UserRole } from '$lib/schemas/auth';
import type { SessionUser } from '../db/repositories/session-repository';
import type { ApiTokenRow } from '../db/repositories/token-repository';
import type { TokenGrant } from './token-access';

/**
 * Who starts a generation, with what their budgets and caps need: the user's own overrides and the
 * token's budget, read with the credential (so from the auth cache), never by a query of their own.
 */
export type Caller = {
	userId: string;
	role: UserRole;
	/** The API token the call came through; null from the web app (a session). */
	tokenId: string | null;
	/**
	 * That token's scopes, model allow-list and expiry; null for a session, which may do all its user
	 * may. The allow-list is put in force where models are picked (ProviderManager.candidates).
	 */
	grant: TokenGrant | null;
	/** The user's own monthly budget (USD, numeric string); null follows the role's default. */
	budgetUsd: string | null;
	/** The token's own monthly budget; null when only the user's applies. */
	tokenBudgetUsd: string | null;
	maxConcurrent: number | null;
	requestsPerMinute: number | null;
};

export function callerOf(
	user: Pick<SessionUser, 'id' | 'role' | 'monthlyBudgetUsd' | 'maxConcurrent' | 'requestsPerMinute'>,
	token: Pick<ApiTokenRow, 'id' | 'monthlyBudgetUsd' | 'scopes' | 'allowedModels' | 'expiresAt'> | null = null
): Caller {
	return {
		userId: user.id,
		role: user.role,
		tokenId: token?.id ?? null,
		grant: token
			? { id: token.id, scopes: token.scopes, allowedModels: token.allowedModels, expiresAt: token.expiresAt }
			: null,
		budgetUsd: user.monthlyBudgetUsd,
		tokenBudgetUsd: token?.monthlyBudgetUsd ?? null,
		maxConcurrent: user.maxConcurrent,
		requestsPerMinute: user.requestsPerMinute
	};
}

/** A signed-in user under no budget or cap of their own (the role's defaults apply): server-side callers. */
export function plainCaller(user: { id: string; role: UserRole }): Caller {
	return callerOf({ ...user, monthlyBudgetUsd: null, maxConcurrent: null, requestsPerMinute: null });
}
