import { describe, expect, it } from 'vitest';
import { parseEnv } from './env-schema';

describe('parseEnv', () => {
	it('applies defaults to an empty environment', () => {
		const result = parseEnv({});
		expect(result).toEqual({
			ok: true,
			env: expect.objectContaining({
				PORT: 3000,
				DATA_DIR: './data',
				OLLAMA_HOST: 'http://127.0.0.1:11434',
				PROVIDER_MAX_RETRIES: 2,
				ALLOW_SIGNUP: true,
				LOG_LEVEL: 'info'
			})
		});
	});

	it('treats empty strings as unset', () => {
		const result = parseEnv({ PORT: '', OPENAI_API_KEY: '' });
		expect(result.ok && result.env.PORT).toBe(3000);
		expect(result.ok && result.env.OPENAI_API_KEY).toBeUndefined();
	});

	it.each([
		['PORT', 'abc', /^Invalid environment variable PORT: must be a port number \(got "abc"\)$/],
		['PORT', '70000', /PORT: must be between 1 and 65535/],
		['ALLOW_SIGNUP', 'maybe', /ALLOW_SIGNUP: must be true or false/],
		['LOG_LEVEL', 'loud', /LOG_LEVEL: must be one of/],
		['OLLAMA_HOST', 'localhost', /OLLAMA_HOST: must be an absolute URL/],
		['DATABASE_URL', 'mysql://x', /DATABASE_URL: must start with postgres/],
		['PROVIDER_TIMEOUT_MS', 'soon', /PROVIDER_TIMEOUT_MS: must be a number of milliseconds/]
	])('names %s when it is %s, in one line', (name, value, pattern) => {
		const result = parseEnv({ [name]: value });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.message).toMatch(pattern);
		expect(result.message).not.toContain('\n');
	});

	it('never echoes the value of a secret', () => {
		const result = parseEnv({ SECRET_KEY: 'short-secret' });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.message).not.toContain('short-secret');
	});

	it('reads ALLOW_SIGNUP spellings', () => {
		const off = parseEnv({ ALLOW_SIGNUP: 'false' });
		expect(off.ok && off.env.ALLOW_SIGNUP).toBe(false);
		const on = parseEnv({ ALLOW_SIGNUP: '1' });
		expect(on.ok && on.env.ALLOW_SIGNUP).toBe(true);
	});
});
