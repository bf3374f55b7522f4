import { randomUUID } from 'node:crypto';
import type { App } from '../../app';
import { tokenScopes as anyScope } from '$lib/schemas/tokens';
import { authenticateCompat } from '../authenticate';
import type { CompatRequest } from '../compat-request';
import { availableModelRefs, modelAliases, modelsForGrant } from '../available-models';
import { toCompatError, CompatError } from '../compat-error';
import { readJsonBody } from '../read-body';
import { publicModelName, resolveModelName } from '../resolve-model';
import { collectAnswer, fallbackHeaders, startCompatRun } from '../run-generation';
import { jsonReply, sseReply, type CompatReply } from '../reply';
import { sseFrame } from '../sse';
import { formatChunks } from './format-chunk';
import { openAIErrorReply } from './format-error';
import { formatChatCompletion, type CompletionMeta } from './format-response';
import { parseChatCompletionRequest } from './parse-request';

async function answering(handler: () => Promise<CompatReply>): Promise<CompatReply> {
	try {
		return await handler();
	} catch (error) {
		return openAIErrorReply(toCompatError(error));
	}
}

/** POST /v1/chat/completions */
export function handleChatCompletions(app: App, request: CompatRequest): Promise<CompatReply> {
	return answering(async () => {
		const auth = await authenticateCompat(app, request, {
			apiKeyHeader: false,
			door: 'POST /v1/chat/completions',
			scopes: ['completions']
		});
		const parsed = parseChatCompletionRequest(await readJsonBody(request));
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
			'openai-api',
			request.signal
		);
		const meta: CompletionMeta = {
			id: `chatcmpl-${randomUUID()}`,
			created: Math.floor(Date.now() / 1000),
			model: publicModelName(run.answeredBy)
		};
		if (!parsed.stream) {
			const answer = await collectAnswer(run);
			return jsonReply(formatChatCompletion(meta, answer), { headers: fallbackHeaders(run) });
		}
		// The chunks of one engine event go out in one write (the first token's comes with the role
		// chunk, the last with usage and [DONE]): one syscall and one read on the client each.
		async function* frames() {
			const state = { started: false };
			for await (const event of run.events) {
				let text = '';
				for (const payload of formatChunks(meta, event, state, parsed.includeUsage))
					text += sseFrame(payload);
				if (text) yield text;
			}
		}
		return sseReply(frames(), { headers: fallbackHeaders(run), onCancel: run.stop });
	});
}

function toOpenAIModel(model: { providerId: string; modelId: string }) {
	return { id: publicModelName(model), object: 'model' as const, created: 0, owned_by: model.providerId };
}

/** GET /v1/models */
export function handleListModels(app: App, request: CompatRequest): Promise<CompatReply> {
	return answering(async () => {
		// A token with a model allow-list sees only what it may call.
		const { caller } = await authenticateCompat(app, request, {
			apiKeyHeader: true,
			door: 'GET /v1/models',
			scopes: anyScope
		});
		const models = await modelsForGrant(app, caller.grant);
		return jsonReply({ object: 'list', data: models.map(toOpenAIModel) });
	});
}

/** GET /v1/models/{id}: `provider/model`, or a bare id one provider has. */
export function handleGetModel(app: App, request: CompatRequest, id: string): Promise<CompatReply> {
	return answering(async () => {
		const { caller } = await authenticateCompat(app, request, {
			apiKeyHeader: true,
			door: 'GET /v1/models',
			scopes: anyScope
		});
		if (!id) throw new CompatError('not_found', 'Name a model: GET /v1/models/{id}.');
		return jsonReply(toOpenAIModel(resolveModelName(id, await modelsForGrant(app, caller.grant))));
	});
}
