import { startEmulators } from './index';

/**
 * `npm run emulator`: the three protocols on fixed ports for manual use, e2e and benchmarks.
 * Ports: EMULATOR_OPENAI_PORT (4010), EMULATOR_ANTHROPIC_PORT (4020), EMULATOR_OLLAMA_PORT (4030);
 * EMULATOR_HOST (127.0.0.1). Script them with POST <origin>/__control/script.
 */
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const emulators = await startEmulators(
	{
		openai: port('EMULATOR_OPENAI_PORT', 4010),
		anthropic: port('EMULATOR_ANTHROPIC_PORT', 4020),
		ollama: port('EMULATOR_OLLAMA_PORT', 4030)
	},
	process.env.EMULATOR_HOST ?? '127.0.0.1'
);

console.log(
	[
		'Provider emulators are listening. Point Switchboard at them with:',
		`  OPENAI_BASE_URL=${emulators.openai.url}`,
		`  ANTHROPIC_BASE_URL=${emulators.anthropic.url}`,
		`  OLLAMA_HOST=${emulators.ollama.url}`,
		'  (any non-empty OPENAI_API_KEY / ANTHROPIC_API_KEY is accepted)',
		`Script faults: curl -X POST ${emulators.openai.origin}/__control/script -d '{"status":429,"headers":{"retry-after-ms":"5"}}'`
	].join('\n')
);

const stop = () => {
	void emulators.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
