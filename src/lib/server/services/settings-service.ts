import type { AppSettingsInput } from '$lib/schemas/budget';
import type { Caller } from '../auth/caller';
import { appSettingsAuditEntries } from './audit-changes';
import type { AuditActor, AuditService } from './audit-service';
import type { Db } from '../db/client';
import * as settingsRepo from '../db/repositories/settings-repository';
import type { UserCaps } from '../generation/user-limits';

/** The caps that hold when neither the role nor the user has its own (today's defaults). */
export type DefaultCaps = { maxConcurrentPerUser: number; requestsPerMinute: number };

export type AppSettingsDto = AppSettingsInput & { defaults: { maxConcurrent: number; perMinute: number } };

const EMPTY: settingsRepo.AppSettingsValues = {
	memberMonthlyBudgetUsd: null,
	allowUnpricedForBudgeted: false,
	memberMaxConcurrent: null,
	memberRequestsPerMinute: null,
	adminMaxConcurrent: null,
	adminRequestsPerMinute: null
};

/**
 * Budgets' and limits' settings, kept in memory: every generation reads them, so a turn must not pay
 * a query for them. A change is written, then announced (`settings` on the cluster bus), and every
 * process, this one included, drops its copy and reads the row again on next use.
 */
export class SettingsService {
	private cached: Promise<settingsRepo.AppSettingsValues> | null = null;

	constructor(
		private readonly deps: {
			db: Db;
			audit: AuditService;
			defaults: DefaultCaps;
			announce: () => void;
			now?: () => Date;
		}
	) {}

	/** The settings, from memory once read. A failed read is not kept, so the next call tries again. */
	current(): Promise<settingsRepo.AppSettingsValues> {
		this.cached ??= settingsRepo.findAppSettings(this.deps.db).then(
			(row) => (row ? pick(row) : EMPTY),
			(error: unknown) => {
				this.cached = null;
				throw error;
			}
		);
		return this.cached;
	}

	/** Forgets the cached copy (a change here or in another process). */
	invalidate(): void {
		this.cached = null;
	}

	async get(): Promise<AppSettingsDto> {
		return toDto(await this.current(), this.deps.defaults);
	}

	/** Saves the settings and their audit entry (old value to new) in one transaction. */
	async update(actor: AuditActor, input: AppSettingsInput): Promise<AppSettingsDto> {
		const values: settingsRepo.AppSettingsValues = {
			...input,
			memberMonthlyBudgetUsd:
				input.memberMonthlyBudgetUsd === null ? null : String(input.memberMonthlyBudgetUsd)
		};
		const { db, audit } = this.deps;
		const row = await db.transaction(async (tx) => {
			const before = await settingsRepo.findAppSettings(tx);
			const saved = await settingsRepo.saveAppSettings(tx, values, this.deps.now?.() ?? new Date());
			await audit.record(tx, actor, appSettingsAuditEntries(before ? pick(before) : EMPTY, pick(saved)));
			return saved;
		});
		this.invalidate();
		this.deps.announce();
		return toDto(pick(row), this.deps.defaults);
	}

	/** A caller's caps: their own, else their role's, else the built-in defaults. */
	capsFor(caller: Caller, settings: settingsRepo.AppSettingsValues): UserCaps {
		const admin = caller.role === 'admin';
		const roleConcurrent = admin ? settings.adminMaxConcurrent : settings.memberMaxConcurrent;
		const rolePerMinute = admin ? settings.adminRequestsPerMinute : settings.memberRequestsPerMinute;
		return {
			maxConcurrent: caller.maxConcurrent ?? roleConcurrent ?? this.deps.defaults.maxConcurrentPerUser,
			perMinute: caller.requestsPerMinute ?? rolePerMinute ?? this.deps.defaults.requestsPerMinute
		};
	}
}

function pick(row: settingsRepo.AppSettingsRow): settingsRepo.AppSettingsValues {
	return {
		memberMonthlyBudgetUsd: row.memberMonthlyBudgetUsd,
		allowUnpricedForBudgeted: row.allowUnpricedForBudgeted,
		memberMaxConcurrent: row.memberMaxConcurrent,
		memberRequestsPerMinute: row.memberRequestsPerMinute,
		adminMaxConcurrent: row.adminMaxConcurrent,
		adminRequestsPerMinute: row.adminRequestsPerMinute
	};
}

function toDto(values: settingsRepo.AppSettingsValues, defaults: DefaultCaps): AppSettingsDto {
	return {
		...values,
		memberMonthlyBudgetUsd:
			values.memberMonthlyBudgetUsd === null ? null : Number(values.memberMonthlyBudgetUsd),
		defaults: { maxConcurrent: defaults.maxConcurrentPerUser, perMinute: defaults.requestsPerMinute }
	};
}
