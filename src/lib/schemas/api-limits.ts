/**
 * The most calls one tRPC batch may carry. The server answers a larger batch with 400, and the
 * UI's and the SDK's batch links split their calls into batches of at most this many.
 */
export const MAX_BATCH_SIZE = 10;
