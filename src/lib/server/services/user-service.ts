import type { AuthUser, UserUpdateInput } from '$lib/schemas/auth';
import type { UserLimitsInput } from '$lib/schemas/budget';
import { tokenExpiresAt, type TokenCreateValues } from '$lib/schemas/tokens';
import type { Theme } from '$lib/schemas/preferences';
import type { AuthRuntime } from '../auth/runtime';
import { generateApiToken } from '../auth/tokens';
import type { Db, Executor } from '../db/client';
import * as sessionRepo from '../db/repositories/session-repository';
import * as tokenRepo from '../db/repositories/token-repository';
import * as userRepo from '../db/repositories/user-repository';
import { AppError } from '../errors';
import { tokenAuditEntry, userAuditEntries, userLimitsAuditEntries } from './audit-changes';
import type { AuditActor, AuditService } from './audit-service';

export type UserServiceDeps = {
	db: Db;
	runtime: AuthRuntime;
	audit: AuditService;
	/** Every model (`provider/model`) and alias a token's allow-list may name today. */
	modelNames: () => Promise<Set<string>>;
};

/** An account as the admin page sees it: never the password hash. */
export type AdminUserDto = AuthUser & {
	disabled: boolean;
	createdAt: Date;
	/** The user's own budget and caps; null follows the role's. */
	monthlyBudgetUsd: number | null;
	maxConcurrent: number | null;
	requestsPerMinute: number | null;
};

/** A token as its owner's list shows it: never the secret or its hash. */
export type ApiTokenDto = Pick<
	tokenRepo.ApiTokenRow,
	'id' | 'name' | 'hint' | 'createdAt' | 'lastUsedAt' | 'expiresAt' | 'scopes' | 'allowedModels'
> & { monthlyBudgetUsd: number | null };

function toAdminUserDto(row: userRepo.UserRow): AdminUserDto {
	return {
		id: row.id,
		email: row.email,
		name: row.name,
		role: row.role,
		disabled: row.disabled,
		createdAt: row.createdAt,
		monthlyBudgetUsd: usdOrNull(row.monthlyBudgetUsd),
		maxConcurrent: row.maxConcurrent,
		requestsPerMinute: row.requestsPerMinute
	};
}

function toTokenDto(row: tokenRepo.ApiTokenRow): ApiTokenDto {
	return {
		id: row.id,
		name: row.name,
		hint: row.hint,
		createdAt: row.createdAt,
		lastUsedAt: row.lastUsedAt,
		expiresAt: row.expiresAt,
		scopes: row.scopes,
		allowedModels: row.allowedModels,
		monthlyBudgetUsd: usdOrNull(row.monthlyBudgetUsd)
	};
}

function usdOrNull(value: string | null): number | null {
	return value === null ? null : Number(value);
}

export class UserService {
	constructor(private readonly deps: UserServiceDeps) {}

	async list(): Promise<AdminUserDto[]> {
		return (await userRepo.listUsers(this.deps.db)).map(toAdminUserDto);
	}

	/**
	 * Role and disabled flag, set by an admin. Disabling ends the user's sessions and deletes their
	 * tokens in the same transaction, so they are out at once. Admins cannot demote or disable
	 * themselves: that way at least one working admin always remains.
	 */
	async update(actor: AuthUser, input: UserUpdateInput): Promise<AdminUserDto> {
		if (input.userId === actor.id && (input.role === 'member' || input.disabled === true)) {
			throw new AppError('conflict', "You can't remove your own admin role or disable your own account.");
		}
		const { db, runtime } = this.deps;
		const row = await db.transaction(async (tx) => {
			const before = await userRepo.findUserById(tx, input.userId);
			const updated = await userRepo.updateUser(
				tx,
				input.userId,
				{ role: input.role, disabled: input.disabled },
				runtime.now()
			);
			let revoked: tokenRepo.DeletedToken[] = [];
			if (updated && input.disabled === true) {
				await sessionRepo.deleteUserSessions(tx, input.userId);
				revoked = await tokenRepo.deleteUserTokens(tx, input.userId);
			}
			if (before && updated) {
				await this.deps.audit.record(tx, actor, [
					...userAuditEntries(before, updated),
					...revoked.map((t) => tokenAuditEntry('token.revoked', t, updated.email))
				]);
			}
			return updated;
		});
		if (!row) throw new AppError('not_found', 'No such user.');
		// After the commit (see auth-cache.ts): the role and the disabled flag travel with cached
		// sessions and tokens, so every one of this user's entries goes.
		runtime.cache.invalidateUser(row.id);
		return toAdminUserDto(row);
	}

	/**
	 * A user's own budget and caps, set by an admin (null: the role's). They travel with cached
	 * sessions and tokens, so every one of the user's entries goes and the next call uses them.
	 */
	async setLimits(actor: AuditActor, input: UserLimitsInput): Promise<AdminUserDto> {
		const { db, runtime } = this.deps;
		const row = await db.transaction(async (tx) => {
			const before = await userRepo.findUserById(tx, input.userId);
			if (!before) throw new AppError('not_found', 'No such user.');
			const updated = await userRepo.updateUser(
				tx,
				input.userId,
				{
					monthlyBudgetUsd: input.monthlyBudgetUsd === null ? null : String(input.monthlyBudgetUsd),
					maxConcurrent: input.maxConcurrent,
					requestsPerMinute: input.requestsPerMinute
				},
				runtime.now()
			);
			if (!updated) throw new AppError('not_found', 'No such user.');
			await this.deps.audit.record(tx, actor, userLimitsAuditEntries(before, updated));
			return updated;
		});
		runtime.cache.invalidateUser(row.id);
		return toAdminUserDto(row);
	}

	/** The token's secret is in this answer only: the database keeps its hash. */
	async createToken(
		userId: string,
		input: TokenCreateValues
	): Promise<{ id: string; name: string; token: string }> {
		const now = this.deps.runtime.now();
		const expiresAt = tokenExpiresAt(input, now);
		if (expiresAt && expiresAt <= now) {
			throw new AppError('bad_request', 'Choose an expiry date in the future.', { field: 'expiresAt' });
		}
		await this.checkAllowedModels(input.allowedModels);
		const { token, tokenHash, hint } = generateApiToken();
		const row = await this.deps.db.transaction(async (tx) => {
			const created = await tokenRepo.insertToken(tx, userId, {
				name: input.name,
				tokenHash,
				hint,
				monthlyBudgetUsd: input.monthlyBudgetUsd === undefined ? null : String(input.monthlyBudgetUsd),
				expiresAt,
				scopes: input.scopes,
				allowedModels: input.allowedModels,
				now
			});
			await this.recordOwnTokenChange(tx, userId, 'token.created', created);
			return created;
		});
		return { id: row.id, name: row.name, token };
	}

	/** An allow-list names models and aliases that exist: a typo would otherwise lock the token out of everything. */
	private async checkAllowedModels(entries: readonly string[]): Promise<void> {
		if (entries.length === 0) return;
		const known = await this.deps.modelNames();
		const unknown = entries.filter((entry) => !known.has(entry));
		if (unknown.length === 0) return;
		throw new AppError(
			'bad_request',
			`No model or alias is called ${unknown.join(', ')}. Name models as provider/model (as the model picker shows them) or by an alias.`,
			{ field: 'allowedModels' }
		);
	}

	async listTokens(userId: string): Promise<ApiTokenDto[]> {
		// Last uses noted since the last batch are written first, so the list shows them.
		await this.deps.runtime.tokenUse.flush();
		return (await tokenRepo.listTokens(this.deps.db, userId)).map(toTokenDto);
	}

	/** Revoking another user's token id looks exactly like revoking one that never existed. */
	async revokeToken(userId: string, tokenId: string): Promise<void> {
		const found = await this.deps.db.transaction(async (tx) => {
			const deleted = await tokenRepo.deleteToken(tx, userId, tokenId);
			if (deleted) await this.recordOwnTokenChange(tx, userId, 'token.revoked', deleted);
			return deleted !== undefined;
		});
		if (!found) throw new AppError('not_found', 'No such token.');
		this.deps.runtime.cache.invalidateToken(tokenId);
	}

	/** A signed-in user always has a row; a missing one reads as the default rather than failing the page. */
	async theme(userId: string): Promise<Theme> {
		return (await userRepo.findTheme(this.deps.db, userId)) ?? 'system';
	}

	async setTheme(userId: string, theme: Theme): Promise<Theme> {
		if (!(await userRepo.setTheme(this.deps.db, userId, theme)))
			throw new AppError('not_found', 'No such user.');
		return theme;
	}

	/** Audit row of a token its owner created or revoked: the owner is the actor. */
	private async recordOwnTokenChange(
		tx: Executor,
		userId: string,
		action: 'token.created' | 'token.revoked',
		token: Pick<tokenRepo.ApiTokenRow, 'id' | 'name'>
	): Promise<void> {
		const owner = await userRepo.findUserById(tx, userId);
		if (owner) await this.deps.audit.record(tx, owner, [tokenAuditEntry(action, token, owner.email)]);
	}
}
