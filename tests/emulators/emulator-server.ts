import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	ScenarioQueue,
	sleep,
	type EmulatedUsage,
	type ModelSpec,
	type RecordedRequest,
	type Scenario
} from './script';

/** What a protocol module gets for one request. */
export type EmulatorContext = {
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	body: unknown;
	record: RecordedRequest;
	models: ModelSpec[];
	takeScenario(on: 'chat' | 'models', model?: string): Scenario | undefined;
	/** True once the connection is gone (client closed, or we reset it). */
	isClosed(): boolean;
	/** Reset the TCP connection (RST), as a crashed upstream would. */
	reset(): void;
};

/** Handles one request; returns false when the route is not part of the protocol (404). */
export type ProtocolHandler = (ctx: EmulatorContext) => Promise<boolean>;

export type Emulator = {
	/** The base URL the vendor SDK takes (OpenAI: origin + /v1; Anthropic and Ollama: the origin). */
	url: string;
	origin: string;
	/** Every API request, in order, live (control requests are not recorded). */
	requests: RecordedRequest[];
	/** Queues scenarios for the next chat requests (first match by model answers). */
	script(...scenarios: Scenario[]): void;
	setModels(models: ModelSpec[]): void;
	/** Forgets scenarios, recorded requests and model changes. */
	reset(): void;
	close(): Promise<void>;
};

export type EmulatorOptions = { port?: number; host?: string };

async function readBody(req: IncomingMessage): Promise<unknown> {
	const parts: Buffer[] = [];
	for await (const part of req) parts.push(part as Buffer);
	const text = Buffer.concat(parts).toString('utf8');
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {}
): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
		...headers
	});
	res.end(text);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
	return Object.fromEntries(
		Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])
	);
}

async function control(
	ctx: { url: URL; body: unknown; res: ServerResponse },
	state: ControlState
): Promise<void> {
	const { url, body, res } = ctx;
	if (url.pathname === '/__control/script') {
		const payload = body as { scenarios?: Scenario[] } | Scenario | Scenario[] | undefined;
		const scenarios = Array.isArray(payload)
			? payload
			: payload && 'scenarios' in payload
				? (payload.scenarios ?? [])
				: payload
					? [payload as Scenario]
					: [];
		state.queue.add(...scenarios);
		return sendJson(res, 200, { ok: true, queued: scenarios.length });
	}
	if (url.pathname === '/__control/models') {
		state.models = ((body as { models?: ModelSpec[] })?.models ?? []).slice();
		return sendJson(res, 200, { ok: true });
	}
	if (url.pathname === '/__control/reset') {
		state.reset();
		return sendJson(res, 200, { ok: true });
	}
	if (url.pathname === '/__control/requests') return sendJson(res, 200, { requests: state.requests });
	sendJson(res, 404, { error: 'unknown control endpoint' });
}

type ControlState = { queue: ScenarioQueue; models: ModelSpec[]; requests: RecordedRequest[]; reset(): void };

/** A real node:http server: recording, scripting and control endpoints shared by the three protocols. */
export async function startEmulator(
	options: EmulatorOptions & { handler: ProtocolHandler; defaultModels: ModelSpec[]; basePath: string }
): Promise<Emulator> {
	const state: ControlState = {
		queue: new ScenarioQueue(),
		models: options.defaultModels.slice(),
		requests: [],
		reset() {
			state.queue.clear();
			state.requests.length = 0;
			state.models = options.defaultModels.slice();
		}
	};
	const server = http.createServer((req, res) => {
		void (async () => {
			const url = new URL(req.url ?? '/', 'http://emulator');
			const body = await readBody(req);
			if (url.pathname.startsWith('/__control/')) return control({ url, body, res }, state);
			const record: RecordedRequest = {
				method: req.method ?? 'GET',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: flatHeaders(req),
				body,
				clientClosed: false,
				finished: false
			};
			state.requests.push(record);
			let resetByUs = false;
			res.on('close', () => {
				if (res.writableFinished) record.finished = true;
				else if (!resetByUs) record.clientClosed = true;
			});
			const ctx: EmulatorContext = {
				req,
				res,
				url,
				body,
				record,
				models: state.models,
				takeScenario: (on, model) => {
					const scenario = state.queue.take(on, model);
					record.scenario = scenario;
					return scenario;
				},
				isClosed: () => res.destroyed || record.clientClosed || resetByUs,
				reset: () => {
					resetByUs = true;
					req.socket.resetAndDestroy();
				}
			};
			if (!(await options.handler(ctx)))
				sendJson(res, 404, { error: `no route ${req.method} ${url.pathname}` });
		})().catch((error: unknown) => {
			if (!res.headersSent) sendJson(res, 500, { error: String(error) });
			else res.destroy();
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
	return {
		url: origin + options.basePath,
		origin,
		requests: state.requests,
		script: (...scenarios) => state.queue.add(...scenarios),
		setModels: (models) => {
			state.models = models.slice();
		},
		reset: () => state.reset(),
		close: () =>
			new Promise<void>((resolve) => {
				// Hung (stalled) streams would keep close() waiting forever.
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

/** How one protocol frames a stream; the driver adds pacing and the scripted faults. */
export type Frames = {
	contentType: string;
	head(): string[];
	delta(text: string): string;
	end(finishReason: string | undefined, usage: EmulatedUsage): string[];
	error(type: string, message: string): string;
};

/** Streams chunks with the scenario's pacing and faults (in-stream error, stall, reset, no terminator). */
export async function driveStream(
	ctx: EmulatorContext,
	scenario: Scenario | undefined,
	chunks: string[],
	usage: EmulatedUsage,
	frames: Frames
): Promise<void> {
	const { res } = ctx;
	res.writeHead(200, {
		'content-type': frames.contentType,
		'cache-control': 'no-cache',
		...scenario?.headers
	});
	for (const frame of frames.head()) res.write(frame);
	for (let i = 0; i <= chunks.length; i++) {
		if (ctx.isClosed()) return;
		if (scenario?.errorAfter === i) {
			res.write(
				frames.error(scenario.errorType ?? 'overloaded_error', scenario.errorMessage ?? 'Overloaded')
			);
			return void res.end();
		}
		if (scenario?.stallAfter === i) return; // keep the socket open and say nothing more
		if (scenario?.resetAfter === i) {
			// Let the client read what was sent: an RST discards data the peer has not read yet.
			await sleep(30);
			return ctx.reset();
		}
		if (i === chunks.length) break;
		if (i > 0 && scenario?.paceMs) await sleep(scenario.paceMs);
		if (ctx.isClosed()) return;
		res.write(frames.delta(chunks[i]));
	}
	if (!scenario?.omitTerminator)
		for (const frame of frames.end(scenario?.finishReason, usage)) res.write(frame);
	res.end();
}

/** Replays recorded frames with pacing; `omitTerminator` drops those `isTerminal` marks. */
export async function replayFrames(
	ctx: EmulatorContext,
	scenario: Scenario,
	contentType: string,
	frames: { text: string; terminal: boolean }[]
): Promise<void> {
	ctx.res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache' });
	for (const [i, frame] of frames.entries()) {
		if (ctx.isClosed()) return;
		if (scenario.omitTerminator && frame.terminal) continue;
		if (i > 0 && scenario.paceMs) await sleep(scenario.paceMs);
		ctx.res.write(frame.text);
	}
	ctx.res.end();
}

/** Applies the scenario's delay and, if scripted, answers with an error status. True when answered. */
export async function preamble(
	ctx: EmulatorContext,
	scenario: Scenario | undefined,
	errorBody: (status: number) => unknown
): Promise<boolean> {
	if (scenario?.delayMs) await sleep(scenario.delayMs);
	if (ctx.isClosed()) return true;
	if (scenario?.status && scenario.status >= 300) {
		sendJson(ctx.res, scenario.status, errorBody(scenario.status), scenario.headers);
		return true;
	}
	return false;
}
