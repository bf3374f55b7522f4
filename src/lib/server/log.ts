import pino from 'pino';
import { env } from './env';

// Anything shaped like a provider key or bearer token is masked before it can reach a log line.
const secretPattern =
	/(sk-[A-Za-z0-9_-]{6,}|sb_[A-Za-z0-9_-]{6,}|Bearer\s+[A-Za-z0-9._-]+|x-api-key[^,}\n]*)/gi;

export function redact(text: string): string {
	return text.replace(secretPattern, '[redacted]');
}

/**
 * pino writes one JSON line per call, synchronously to stdout (no worker thread, so a crash loses
 * nothing), and every line passes through `redact` on its way out, whatever field carried a secret.
 */
const logger = pino(
	{
		level: env.LOG_LEVEL,
		base: null,
		messageKey: 'message',
		timestamp: pino.stdTimeFunctions.isoTime,
		formatters: { level: (label) => ({ level: label }) },
		hooks: { streamWrite: redact }
	},
	pino.destination({ dest: 1, sync: true })
);

type Level = 'debug' | 'info' | 'warn' | 'error';

function write(level: Level, message: string, fields?: Record<string, unknown>) {
	if (fields) logger[level](fields, message);
	else logger[level](message);
}

/** The SQLSTATE of a driver's error (postgres.js, PGlite), which alone says what went wrong. */
function sqlState(error: Error): string | undefined {
	const { code, severity } = error as { code?: unknown; severity?: unknown };
	return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && severity !== undefined ? code : undefined;
}

/**
 * Describes an error for the log: its chain of names and messages, never request bodies or headers.
 * Database errors give only their name and SQLSTATE: Drizzle's message carries the statement and its
 * parameters, and a driver's message or detail can quote a value sent (a user's text, an id).
 */
export function describeError(error: unknown): string {
	const parts: string[] = [];
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		if (!(current instanceof Error)) {
			parts.push(String(current));
			break;
		}
		const state = sqlState(current);
		const message = current.message.startsWith('Failed query:')
			? 'Failed query'
			: state
				? `SQLSTATE ${state}`
				: current.message;
		parts.push(`${current.name}: ${message}`);
		current = current.cause;
	}
	return parts.join(' <- ');
}

export const log = {
	debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
	info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
	warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
	error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields)
};
