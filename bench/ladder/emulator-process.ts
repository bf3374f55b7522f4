/**
 * The provider every step of the ladder talks to: the repo's OpenAI emulator (tests/emulators) in
 * its own process, so its work is not charged to the load generator or to the relay being priced.
 * Scripted over its HTTP control endpoint (POST /__control/script). Run by bench/run.ts.
 */
import { startOpenAIEmulator } from '../../tests/emulators/openai-emulator';

const emulator = await startOpenAIEmulator({ port: 0, host: '127.0.0.1' });
process.send?.({ ready: true, url: emulator.url, origin: emulator.origin });
process.once('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
