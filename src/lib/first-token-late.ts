/**
 * From how long without an answer's first text the UI and the CLI say what they are waiting for: a
 * usual first token comes well within it, and a rate-limited or overloaded provider's wait does not.
 */
export const FIRST_TOKEN_LATE_MS = 3_000;
