import { is, sql, type Placeholder } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db, Executor } from './client';

/*
 * Drizzle composes a statement's SQL anew on every call: for a turn's insert (a WITH clause and two
 * rows of sixteen columns) that took about 0.13 ms of CPU, and a turn runs three such statements. The
 * statements on every turn's path take values of a handful of shapes (which fields are set, which are
 * null, how many rows), so each shape is composed once, with placeholders, and prepared; a call then
 * only fills in its values.
 */

/**
 * Beyond this many shapes per database, a new shape is composed per call: chat patches could combine
 * their fields freely, and the cache must not grow with them.
 */
const MAX_SHAPES = 256;

/** A statement prepared by Drizzle: what `.prepare(name)` returns. */
type Prepared<R> = { execute(values: Record<string, unknown>): Promise<R> };

/** Values as placeholders, for composing a statement once per shape. */
export type Shaped<T> = {
	/**
	 * The values with each one replaced by a placeholder; null stays null (a placeholder would encode
	 * it). Built only when a shape is composed, which is once per shape: a call needs the key and the values.
	 */
	template(): T;
	/** Which fields are set, and which of them are null: the statement's shape for these values. */
	key: string;
	/** The placeholders' values. */
	values: Record<string, unknown>;
};

/**
 * Replaces each field of `fields` by a placeholder named `prefix` + field. Undefined fields are left
 * out, as Drizzle leaves them out (a column's default). A null keeps its place in the template, since
 * Drizzle fills a placeholder through the column's encoder, which would write a jsonb null or fail on
 * a timestamp where the statement must say SQL NULL.
 */
export function shape<T extends object>(prefix: string, fields: T): Shaped<T> {
	const set = fields as Record<string, unknown>;
	const values: Record<string, unknown> = {};
	const keys: string[] = [];
	for (const field of Object.keys(set)) {
		const value = set[field];
		if (value === undefined) continue;
		if (value === null) keys.push(`${field}=null`);
		else {
			values[`${prefix}${field}`] = value;
			keys.push(field);
		}
	}
	const template = () => {
		const out: Record<string, Placeholder | null> = {};
		for (const field of Object.keys(set)) {
			const value = set[field];
			if (value !== undefined) out[field] = value === null ? null : sql.placeholder(`${prefix}${field}`);
		}
		return out as T;
	};
	return { template, key: keys.sort().join(','), values };
}

/** Several value sets (a statement's rows) shaped as one: their key says how many rows of which shapes. */
export function shapeRows<T extends object>(prefix: string, rows: readonly T[]): Shaped<T[]> {
	const shaped = rows.map((row, i) => shape(`${prefix}${i}_`, row));
	return {
		template: () => shaped.map((s) => s.template()),
		key: shaped.map((s) => `[${s.key}]`).join(''),
		values: Object.assign({}, ...shaped.map((s) => s.values))
	};
}

/**
 * A statement's parts shaped as one (say a WITH clause's update and the insert after it): one
 * template per part, one key, all the values. Each part must have its own prefix.
 */
export function shapeParts<T extends Record<string, Shaped<unknown>>>(
	parts: T
): Shaped<{ [K in keyof T]: ReturnType<T[K]['template']> }> {
	const entries = Object.entries(parts);
	return {
		template: () =>
			Object.fromEntries(entries.map(([name, part]) => [name, part.template()])) as {
				[K in keyof T]: ReturnType<T[K]['template']>;
			},
		key: entries.map(([name, part]) => `${name}{${part.key}}`).join(''),
		values: Object.assign({}, ...entries.map(([, part]) => part.values))
	};
}

const prepared = new WeakMap<Db, Map<string, Prepared<unknown>>>();

/**
 * Runs the statement `compose` builds from the template, prepared once per database and shape. In a
 * transaction it is composed and run as it is: a transaction is short-lived, and of these statements
 * only a turn with attachments runs in one.
 */
export function runShaped<T, R>(
	db: Executor,
	name: string,
	shaped: Shaped<T>,
	compose: (db: Executor, template: T) => { prepare(name: string): Prepared<R> }
): Promise<R> {
	if (is(db, PgTransaction)) return compose(db, shaped.template()).prepare(name).execute(shaped.values);
	let statements = prepared.get(db);
	if (!statements) prepared.set(db, (statements = new Map()));
	const id = `${name}|${shaped.key}`;
	let statement = statements.get(id) as Prepared<R> | undefined;
	if (!statement) {
		// Each shape its own name: a driver may key server-side statements by it.
		statement = compose(db, shaped.template()).prepare(`${name}_${statements.size}`);
		if (statements.size < MAX_SHAPES) statements.set(id, statement);
	}
	return statement.execute(shaped.values);
}
