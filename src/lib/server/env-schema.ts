import { z } from 'zod';

/** Environment flags are strings; accept the usual spellings and nothing else. */
const flag = z
	.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
	.transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = z.url({ message: 'must be an absolute URL such as http://host:port' });
const optionalText = z
	.string()
	.optional()
	.transform((v) => (v === '' ? undefined : v));

export const envSchema = z.object({
	PORT: z.coerce
		.number({ message: 'must be a port number' })
		.int('must be a whole number')
		.min(1, 'must be between 1 and 65535')
		.max(65535, 'must be between 1 and 65535')
		.default(3000),
	ORIGIN: url.optional(),
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
		.optional(),
	DATA_DIR: z.string().min(1).default('./data'),
	SECRET_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
	ANTHROPIC_API_KEY: optionalText,
	ANTHROPIC_BASE_URL: url.optional(),
	OPENAI_API_KEY: optionalText,
	OPENAI_BASE_URL: url.optional(),
	OLLAMA_HOST: url.default('http://127.0.0.1:11434'),
	DEFAULT_PROVIDER: z
		.string()
		.regex(/^[a-z][a-z0-9-]*$/, 'must be a provider id such as openai')
		.optional(),
	PROVIDER_TIMEOUT_MS: z.coerce
		.number({ message: 'must be a number of milliseconds' })
		.int()
		.min(100, 'must be at least 100')
		.default(60_000),
	PROVIDER_MAX_RETRIES: z.coerce
		.number({ message: 'must be a number' })
		.int()
		.min(0, 'must be between 0 and 10')
		.max(10, 'must be between 0 and 10')
		.default(2),
	ALLOW_SIGNUP: flag.default(true),
	/** How long running answers may go on after SIGTERM before they are stopped and saved. */
	SHUTDOWN_GRACE_MS: z.coerce
		.number({ message: 'must be a number of milliseconds' })
		.int()
		.min(0, 'must be 0 or more')
		.max(600_000, 'must be at most 600000 (10 minutes)')
		.default(10_000),
	/** Bearer token for /metrics; without it, /metrics answers loopback only. */
	METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
	// Sign-ups per client address per hour (each costs a password hash and makes an account).
	SIGNUP_LIMIT: z.coerce
		.number({ message: 'must be a number' })
		.int()
		.min(1, 'must be at least 1')
		.default(10),
	/** Caps on attachments (#17): bytes per image, bytes per text file, files per message. */
	ATTACHMENT_MAX_IMAGE_BYTES: z.coerce
		.number({ message: 'must be a number of bytes' })
		.int()
		.min(1024, 'must be at least 1024')
		.max(16 * 1024 * 1024, 'must be at most 16777216 (16 MB)')
		.default(10 * 1024 * 1024),
	ATTACHMENT_MAX_TEXT_BYTES: z.coerce
		.number({ message: 'must be a number of bytes' })
		.int()
		.min(1024, 'must be at least 1024')
		.max(4 * 1024 * 1024, 'must be at most 4194304 (4 MB)')
		.default(512 * 1024),
	ATTACHMENT_MAX_PER_MESSAGE: z.coerce
		.number({ message: 'must be a number' })
		.int()
		.min(1, 'must be between 1 and 32')
		.max(32, 'must be between 1 and 32')
		.default(8),
	LOG_LEVEL: z
		.enum(['debug', 'info', 'warn', 'error', 'silent'], {
			message: 'must be one of debug, info, warn, error, silent'
		})
		.default('info')
});

export type Env = z.infer<typeof envSchema>;

/** Empty strings in .env files mean "unset", as they do in most tools. */
function dropEmpty(source: Record<string, string | undefined>) {
	return Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
}

export type EnvResult = { ok: true; env: Env } | { ok: false; message: string };

/** Pure: parses an environment and describes the first problem in one line. */
export function parseEnv(source: Record<string, string | undefined>): EnvResult {
	const keys = Object.keys(envSchema.shape);
	const picked = dropEmpty(Object.fromEntries(keys.map((k) => [k, source[k]])));
	const result = envSchema.safeParse(picked);
	if (result.success) return { ok: true, env: result.data };
	const issue = result.error.issues[0];
	const name = String(issue.path[0] ?? 'environment');
	const shown = typeof picked[name] === 'string' ? ` (got "${String(picked[name]).slice(0, 40)}")` : '';
	const secret = /KEY|URL|TOKEN|SECRET/.test(name) ? '' : shown;
	return { ok: false, message: `Invalid environment variable ${name}: ${issue.message}${secret}` };
}
