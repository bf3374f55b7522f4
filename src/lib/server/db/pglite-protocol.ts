/**
 * The messages between the main thread (pglite-worker-client.ts) and the thread that owns PGlite
 * (pglite-worker.js). Everything here crosses a structured clone: plain data only, no functions.
 */

/** A statement; `tx` names the open transaction it belongs to, if any. */
export type QueryRequest = {
	op: 'query';
	sql: string;
	params: unknown[];
	rowMode: 'array' | 'object';
	/** Type OIDs the caller parses itself: the worker returns them as Postgres text. */
	rawTypes: number[];
	tx?: number;
};
export type Request =
	QueryRequest | { op: 'begin'; tx: number } | { op: 'end'; tx: number; commit: boolean } | { op: 'close' };

export type Field = { name: string; dataTypeID: number };
export type QueryResult = { rows: unknown[]; fields: Field[]; affectedRows?: number };

/** A thrown error as data: Postgres' fields (code, constraint, detail…) survive the trip. */
export type SerializedError = { name: string; message: string; fields: Record<string, string | number> };

export type Envelope = { id: number; request: Request };
export type Reply =
	{ id: number; ok: true; value?: QueryResult } | { id: number; ok: false; error: SerializedError };

/** Sent once when the worker has opened PGlite (`ok`) or failed to. */
export const READY_ID = 0;

export type WorkerOptions = { dataDir: string };
