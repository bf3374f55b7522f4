/*
 * tRPC's JSON-lines answer (httpBatchStreamLink's format), as both ends of a watched start read it:
 * the server writes it (server/trpc/jsonl-lines.ts) and the SDK reads it (sdk/jsonl-reader.ts). An
 * async value in a line is `[key, kind, id]`; the lines for it are `[id, status, encoded]`.
 */

/** Kinds of async value. */
export const PROMISE = 0;
export const ASYNC_ITERABLE = 1;

/** A promise's line. */
export const FULFILLED = 0;
export const REJECTED = 1;

/** An async iterable's lines. */
export const RETURNED = 0;
export const YIELDED = 1;
export const FAILED = 2;
