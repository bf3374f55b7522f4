import { config as loadDotenv } from 'dotenv';
import { parseEnv, type Env } from './env-schema';

/**
 * The environment, parsed once. A bad value stops the process with one line that names the
 * variable: a stack trace would bury the one fact an operator needs.
 */
function load(): Env {
	loadDotenv({ quiet: true });
	const result = parseEnv(process.env);
	if (!result.ok) {
		console.error(result.message);
		process.exit(1);
	}
	return result.env;
}

export const env: Env = load();
