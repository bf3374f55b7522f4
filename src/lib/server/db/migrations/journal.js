// Plain JavaScript with JSDoc types: `npm run db:migrate` imports this file directly in the
// production image, which has neither tsx nor the TypeScript sources' build step.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** drizzle-kit's separator between statements; down scripts use it too. */
const breakpoint = '--> statement-breakpoint';

/**
 * One migration as the app knows it: drizzle-kit's journal entry plus both scripts.
 * @typedef {object} Migration
 * @property {number} idx position in the journal (0000 = 0): the version number operators type
 * @property {string} tag file name without .sql, e.g. 0001_message_cost
 * @property {number} when the journal's timestamp; drizzle stores it as created_at and so do we
 * @property {string} hash sha256 of the up script, computed exactly as drizzle's migrator does
 * @property {string[]} up statements of drizzle/<tag>.sql
 * @property {string[]} down statements of drizzle/<tag>.down.sql
 * @property {string} downSql the down script's text, stored in the database at up time
 */

/** @param {string} text */
export function splitStatements(text) {
	return text
		.split(breakpoint)
		.map((s) => s.trim())
		.filter((s) => s.length > 0);
}

/**
 * Reads drizzle/meta/_journal.json and every migration's up and down script.
 * A missing down script is an error here, so a migration without one cannot ship unnoticed.
 * @param {string} folder
 * @returns {Migration[]}
 */
export function readMigrations(folder) {
	const journalPath = path.join(folder, 'meta', '_journal.json');
	if (!existsSync(journalPath)) throw new Error(`No migration journal at ${journalPath}`);
	/** @type {{ entries: { idx: number; tag: string; when: number }[] }} */
	const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
	return journal.entries.map((entry, position) => {
		if (entry.idx !== position) {
			throw new Error(`Migration journal out of order: entry ${position} has idx ${entry.idx}`);
		}
		const upText = readFileSync(path.join(folder, `${entry.tag}.sql`), 'utf8');
		const downPath = path.join(folder, `${entry.tag}.down.sql`);
		if (!existsSync(downPath)) {
			throw new Error(`Migration ${entry.tag} has no down script: add ${downPath}`);
		}
		const downSql = readFileSync(downPath, 'utf8');
		return {
			idx: entry.idx,
			tag: entry.tag,
			when: entry.when,
			hash: createHash('sha256').update(upText).digest('hex'),
			up: splitStatements(upText),
			down: splitStatements(downSql),
			downSql
		};
	});
}
