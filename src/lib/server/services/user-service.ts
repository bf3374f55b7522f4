import type { AuthUser, TokenCreateInput, UserUpdateInput } from '$lib/schemas/auth';
import type { App } from '../app';
import { authRuntime, type AuthRuntime } from '../auth/runtime';
import { generateApiToken } from '../auth/tokens';
import type { Db } from '../db/client';
import * as sessionRepo from '../db/repositories/session-repository';
import * as tokenRepo from '../db/repositories/token-repository';
import * as userRepo from '../db/repositories/user-repository';
import { AppError } from '../errors';

export type UserServiceDeps = { db: Db; runtime: AuthRuntime };

/** An account as the admin page sees it: never the password hash. */
export type AdminUserDto = AuthUser & { disabled: boolean; createdAt: Date };

export type ApiTokenDto = {
	id: string;
	name: string;
	hint: string;
	createdAt: Date;
	lastUsedAt: Date | null;
};

function toAdminUserDto(row: userRepo.UserRow): AdminUserDto {
	return {
		id: row.id,
		email: row.email,
		name: row.name,
		role: row.role,
		disabled: row.disabled,
		createdAt: row.createdAt
	};
}

function toTokenDto(row: tokenRepo.ApiTokenRow): ApiTokenDto {
	return { id: row.id, name: row.name, hint: row.hint, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt };
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
			const updated = await userRepo.updateUser(
				tx,
				input.userId,
				{ role: input.role, disabled: input.disabled },
				runtime.now()
			);
			if (updated && input.disabled === true) {
				await sessionRepo.deleteUserSessions(tx, input.userId);
				await tokenRepo.deleteUserTokens(tx, input.userId);
			}
			return updated;
		});
		if (!row) throw new AppError('not_found', 'No such user.');
		return toAdminUserDto(row);
	}

	/** The token's secret is in this answer only: the database keeps its hash. */
	async createToken(
		userId: string,
		input: TokenCreateInput
	): Promise<{ id: string; name: string; token: string }> {
		const { token, tokenHash, hint } = generateApiToken();
		const row = await tokenRepo.insertToken(this.deps.db, userId, {
			name: input.name,
			tokenHash,
			hint,
			now: this.deps.runtime.now()
		});
		return { id: row.id, name: row.name, token };
	}

	async listTokens(userId: string): Promise<ApiTokenDto[]> {
		return (await tokenRepo.listTokens(this.deps.db, userId)).map(toTokenDto);
	}

	/** Revoking another user's token id looks exactly like revoking one that never existed. */
	async revokeToken(userId: string, tokenId: string): Promise<void> {
		if (!(await tokenRepo.deleteToken(this.deps.db, userId, tokenId))) {
			throw new AppError('not_found', 'No such token.');
		}
	}
}

export function userService(app: App): UserService {
	return new UserService({ db: app.database.db, runtime: authRuntime(app) });
}
