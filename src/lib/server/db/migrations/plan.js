// Pure planning: from what the database has applied, what this version knows and a target, the
// ordered steps. No I/O, so every branch is unit tested (plan.test.ts).

/** @typedef {import('./journal.js').Migration} Migration */

/**
 * A row of drizzle.__drizzle_migrations, with the down script we stored beside it when we applied it.
 * Rows applied by drizzle's own migrator (before this runner existed) have no stored script.
 * @typedef {object} AppliedRow
 * @property {number} createdAt the journal `when` of the migration that was applied
 * @property {string | null} storedTag
 * @property {string | null} storedDown
 */

/**
 * @typedef {{ direction: 'up'; idx: number; tag: string; migration: Migration }
 *   | { direction: 'down'; idx: number; tag: string; createdAt: number; statements: string[] }} Step
 * @typedef {{ current: number; target: number; steps: Step[] }} Plan
 * @typedef {'schema-too-new' | 'bad-target' | 'no-down-script'} PlanErrorCode
 */

export class MigrationPlanError extends Error {
	/**
	 * @param {PlanErrorCode} code
	 * @param {string} message
	 */
	constructor(code, message) {
		super(message);
		this.name = 'MigrationPlanError';
		this.code = code;
	}
}

/** @param {number} idx e.g. 7 -> "0007", the way drizzle-kit numbers files */
export function formatVersion(idx) {
	return idx < 0 ? 'none' : String(idx).padStart(4, '0');
}

/** @param {string} tag */
function idxFromTag(tag) {
	const match = /^(\d+)_/.exec(tag);
	return match ? Number(match[1]) : undefined;
}

/**
 * @typedef {{ idx: number; tag: string; createdAt: number; down: string[] | undefined; known: boolean }} Resolved
 * @param {Migration[]} known
 * @param {AppliedRow[]} applied
 * @param {(text: string) => string[]} split
 * @returns {Resolved[]}
 */
function resolveApplied(known, applied, split) {
	const byWhen = new Map(known.map((m) => [m.when, m]));
	let unrecorded = 0;
	return [...applied]
		.sort((a, b) => a.createdAt - b.createdAt)
		.map((row) => {
			const migration = byWhen.get(row.createdAt);
			if (migration) {
				return { ...migration, createdAt: row.createdAt, known: true };
			}
			// A migration from a newer version: its number and down script are what it stored.
			const fromTag = row.storedTag === null ? undefined : idxFromTag(row.storedTag);
			const idx = fromTag ?? known.length + unrecorded++;
			return {
				idx,
				tag: row.storedTag ?? 'unrecorded',
				createdAt: row.createdAt,
				down: row.storedDown === null ? undefined : split(row.storedDown),
				known: false
			};
		});
}

/**
 * Where the database is: the highest applied migration (-1 when none), even one this version
 * does not know.
 * @param {{ known: Migration[]; applied: AppliedRow[]; split: (text: string) => string[] }} input
 * @returns {{ current: number; tag: string | undefined }}
 */
export function currentVersion({ known, applied, split }) {
	const resolved = resolveApplied(known, applied, split);
	const top = resolved.reduce(
		(best, r) => (best && best.idx >= r.idx ? best : r),
		/** @type {Resolved | undefined} */ (undefined)
	);
	return { current: top?.idx ?? -1, tag: top?.tag };
}

/**
 * @param {{
 *   known: Migration[];
 *   applied: AppliedRow[];
 *   target?: number;
 *   split: (text: string) => string[];
 * }} input target undefined means "the latest this version knows" (boot and plain db:migrate)
 * @returns {Plan}
 */
export function planMigrations({ known, applied, target, split }) {
	const resolved = resolveApplied(known, applied, split);
	const current = resolved.reduce((max, r) => Math.max(max, r.idx), -1);
	const latest = known.length - 1;
	const newer = resolved.filter((r) => !r.known);

	if (target === undefined) {
		if (newer.length > 0) throw schemaTooNew(current, resolved, known, newer);
		target = latest;
	}
	if (!Number.isInteger(target) || target < -1 || target > Math.max(latest, current)) {
		throw new MigrationPlanError(
			'bad-target',
			`Cannot migrate to ${target}: this version of Switchboard knows migrations -1 (empty) to ${latest}` +
				(current > latest ? `, and the database is at ${current}` : '')
		);
	}

	/** @type {Step[]} */
	const steps = [];
	for (const row of [...resolved].reverse()) {
		if (row.idx <= target) continue;
		if (!row.down) {
			throw new MigrationPlanError(
				'no-down-script',
				`Migration ${formatVersion(row.idx)} (${row.tag}) has no down script in the database: ` +
					`run the version of Switchboard that added it to migrate down`
			);
		}
		steps.push({
			direction: 'down',
			idx: row.idx,
			tag: row.tag,
			createdAt: row.createdAt,
			statements: row.down
		});
	}
	const appliedWhen = new Set(resolved.map((r) => r.createdAt));
	for (const migration of known) {
		if (migration.idx > target || appliedWhen.has(migration.when)) continue;
		steps.push({ direction: 'up', idx: migration.idx, tag: migration.tag, migration });
	}
	return { current, target, steps };
}

/**
 * @param {number} current
 * @param {Resolved[]} resolved
 * @param {Migration[]} known
 * @param {Resolved[]} newer
 */
function schemaTooNew(current, resolved, known, newer) {
	const latest = known.length - 1;
	const top = resolved.find((r) => r.idx === current);
	const canGoDown = newer.every((r) => r.down);
	const how = canGoDown
		? `migrate down with: npm run db:migrate -- --to=${latest}`
		: `migrate down with the newer version: npm run db:migrate -- --to=${latest}`;
	return new MigrationPlanError(
		'schema-too-new',
		`The database schema is at migration ${formatVersion(current)} (${top?.tag}), newer than this ` +
			`version of Switchboard knows (${formatVersion(latest)}). Run the newer version, or ${how}`
	);
}
