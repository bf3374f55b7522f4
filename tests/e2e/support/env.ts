/** Where the e2e run's pieces live: the app (playwright.config.ts) and the provider emulators. */
export const appPort = Number(process.env.E2E_PORT ?? 4173);
export const appOrigin = `http://127.0.0.1:${appPort}`;

// Not the emulators' usual 4010-4030: a developer's `npm run emulator` may be running alongside.
export const emulatorPorts = {
	openai: Number(process.env.E2E_OPENAI_PORT ?? 4310),
	anthropic: Number(process.env.E2E_ANTHROPIC_PORT ?? 4320),
	ollama: Number(process.env.E2E_OLLAMA_PORT ?? 4330)
} as const;

export type EmulatedProvider = keyof typeof emulatorPorts;

export const emulatorOrigin = (provider: EmulatedProvider) => `http://127.0.0.1:${emulatorPorts[provider]}`;

/** The base URL each provider's settings take (OpenAI's SDK expects the /v1 prefix in it). */
export const emulatorBaseUrl = (provider: EmulatedProvider) =>
	provider === 'openai' ? `${emulatorOrigin(provider)}/v1` : emulatorOrigin(provider);

/** The admin every UI spec signs in as; created first by global-setup.ts, so it is the first account. */
export const admin = {
	email: 'admin@e2e.switchboard.test',
	password: 'e2e admin password, long enough',
	name: 'Ada Admin'
};

export const adminStatePath = 'tests/e2e/.artifacts/admin-state.json';
export const screenshotDir = 'test-results/screenshots';
