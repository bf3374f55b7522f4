import { randomUUID } from 'node:crypto';
import type { App } from '../../app';
import { estimateInputTokens } from '../../providers/estimate-tokens';
import { authenticateCompat } from '../authenticate';
import type { CompatRequest } from '../compat-request';
import { availableModelRefs, modelAliases } from '../available-models';
import { toCompatError } from '../compat-error';
import { readJsonBody } from '../read-body';
import { publicModelName, resolveModelName } from '../resolve-model';
import { collectAnswer, fallbackHeaders, startCompatRun } from '../run-generation';
import { jsonReply, sseReply, type CompatReply } from '../reply';
import { sseFrame } from '../sse';
import { anthropicErrorReply } from './format-error';
import { formatEvents } from './format-events';
import { formatMessage, type MessageMeta } from './format-response';
import { parseCountTokensRequest, parseMessagesRequest } from './parse-request';

async function answering(handler: () => Promise<CompatReply>): Promise<CompatReply> {
	try {
		return await handler();
	} catch (error) {
		return anthropicErrorReply(toCompatError(error));
	}
}

/** POST /v1/messages */
export function handleMessages(app: App, request: CompatRequest): Promise<CompatReply> {
	return answering(async () => {
		const auth = await authenticateCompat(app, request, {
			apiKeyHeader: true,
			door: 'POST /v1/messages',
			scopes: ['completions']
		});
		const parsed = parseMessagesRequest(await readJsonBody(request));
		const target = resolveModelName(
			parsed.model,
			await availableModelRefs(app),
			'model',
			await modelAliases(app)
		);
		const run = await startCompatRun(
			app,
			auth.caller,
			{ ...parsed.input, ...target },
			'anthropic-api',
			request.signal
		);
		const meta: MessageMeta = {
			id: `msg_${randomUUID().replaceAll('-', '')}`,
			model: publicModelName(run.answeredBy)
		};
		if (!parsed.stream) {
			const answer = await collectAnswer(run);
			return jsonReply(formatMessage(meta, answer), { headers: fallbackHeaders(run) });
		}
		// The events one engine event makes go out in one write (the first token's comes with
		// message_start and content_block_start): one syscall and one read on the client each.
		async function* frames() {
			const state = { started: false };
			for await (const event of run.events) {
				let text = '';
				for (const { event: name, data } of formatEvents(meta, event, state)) text += sseFrame(data, name);
				if (text) yield text;
			}
		}
		return sseReply(frames(), { headers: fallbackHeaders(run), onCancel: run.stop });
	});
}

/**
 * POST /v1/messages/count_tokens. Switchboard's adapters have no token-counting call, so the count
 * is estimated from the text and marked so with `x-switchboard-estimated: true`.
 */
export function handleCountTokens(app: App, request: CompatRequest): Promise<CompatReply> {
	return answering(async () => {
		await authenticateCompat(app, request, {
			apiKeyHeader: true,
			door: 'POST /v1/messages/count_tokens',
			scopes: ['completions']
		});
		const parsed = parseCountTokensRequest(await readJsonBody(request));
		resolveModelName(parsed.model, await availableModelRefs(app), 'model', await modelAliases(app));
		return jsonReply(
			{ input_tokens: estimateInputTokens(parsed) },
			{ headers: { 'x-switchboard-estimated': 'true' } }
		);
	});
}
