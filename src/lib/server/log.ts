import { env } from './env';

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof levels, 'silent'>;

// Anything shaped like a provider key or bearer token is masked before it can reach a log line.
const secretPattern =
	/(sk-[A-Za-z0-9_-]{6,}|sb_[A-Za-z0-9_-]{6,}|Bearer\s+[A-Za-z0-9._-]+|x-api-key[^,}\n]*)/gi;

export function redact(text: string): string {
	return text.replace(secretPattern, '[redacted]');
}

function write(level: Level, message: string, fields?: Record<string, unknown>) {
	if (levels[level] < levels[env.LOG_LEVEL]) return;
	const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
	(level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(redact(line) + '\n');
}

/** Describes an error for the log: its chain of messages, never request bodies or headers. */
export function describeError(error: unknown): string {
	const parts: string[] = [];
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		// Drizzle puts a failed query's parameters in its message: user text and ids stay out of logs.
		const message =
			current instanceof Error ? current.message.replace(/\nparams:[\s\S]*$/, '') : String(current);
		parts.push(current instanceof Error ? `${current.name}: ${message}` : message);
		current = current instanceof Error ? current.cause : undefined;
	}
	return parts.join(' <- ');
}

export const log = {
	debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
	info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
	warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
	error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields)
};
