import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { App } from '../../app';
import { clientSignal } from '../../http/client-signal';
import { estimateInputTokens } from '../../providers/estimate-tokens';
import { authenticateCompat } from '../authenticate';
import { availableModelRefs, modelAliases } from '../available-models';
import { toCompatError } from '../compat-error';
import { readJsonBody } from '../read-body';
import { publicModelName, resolveModelName } from '../resolve-model';
import { collectAnswer, fallbackHeaders, startCompatRun } from '../run-generation';
import { sseFrame, sseResponse } from '../sse';
import { anthropicErrorResponse } from './format-error';
import { formatEvents } from './format-events';
import { formatMessage, type MessageMeta } from './format-response';
import { parseCountTokensRequest, parseMessagesRequest } from './parse-request';

async function answering(handler: () => Promise<Response>): Promise<Response> {
	try {
		return await handler();
	} catch (error) {
		return anthropicErrorResponse(toCompatError(error));
	}
}

/** POST /v1/messages; `connection` (adapter-node's request) tells when the client hangs up. */
export function handleMessages(app: App, request: Request, connection?: IncomingMessage): Promise<Response> {
	const client = clientSignal(request, connection);
	return answering(async () => {
		const caller = await authenticateCompat(app, request, { apiKeyHeader: true });
		const parsed = parseMessagesRequest(await readJsonBody(request));
		const target = resolveModelName(
			parsed.model,
			await availableModelRefs(app),
			'model',
			await modelAliases(app)
		);
		const run = await startCompatRun(
			app,
			caller,
			{ ...parsed.input, ...target },
			'anthropic-api',
			client.signal
		);
		const meta: MessageMeta = {
			id: `msg_${randomUUID().replaceAll('-', '')}`,
			model: publicModelName(run.answeredBy)
		};
		if (!parsed.stream) {
			const answer = await collectAnswer(run);
			return Response.json(formatMessage(meta, answer), { headers: fallbackHeaders(run) });
		}
		async function* frames() {
			const state = { started: false };
			for await (const event of run.events) {
				for (const { event: name, data } of formatEvents(meta, event, state)) yield sseFrame(data, name);
			}
		}
		return sseResponse(frames(), { headers: fallbackHeaders(run), onCancel: run.stop });
	}).finally(client.dispose);
}

/**
 * POST /v1/messages/count_tokens. Switchboard's adapters have no token-counting call, so the count
 * is estimated from the text and marked so with `x-switchboard-estimated: true`.
 */
export function handleCountTokens(app: App, request: Request): Promise<Response> {
	return answering(async () => {
		await authenticateCompat(app, request, { apiKeyHeader: true });
		const parsed = parseCountTokensRequest(await readJsonBody(request));
		resolveModelName(parsed.model, await availableModelRefs(app), 'model', await modelAliases(app));
		return Response.json(
			{ input_tokens: estimateInputTokens(parsed) },
			{ headers: { 'x-switchboard-estimated': 'true' } }
		);
	});
}
