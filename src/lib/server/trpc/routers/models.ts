import { modelCreateInput, modelKeyInput, modelListInput, modelUpdateInput } from '$lib/schemas/providers';
import { providerIdInput } from '$lib/schemas/providers';
import { modelAllowed } from '../../auth/token-access';
import { adminProcedure, protectedProcedure, router } from '../init';

export const modelsRouter = router({
	list: protectedProcedure.input(modelListInput).query(async ({ ctx, input }) => {
		const models = await ctx.app.models.list(input ?? {});
		// A token with a model allow-list sees only what it may call.
		const grant = ctx.auth?.caller.grant ?? null;
		if (!grant || grant.allowedModels.length === 0) return models;
		const aliases = new Map((await ctx.app.aliases.list()).map((a) => [a.name, a]));
		return models.filter((m) => modelAllowed(grant, m, aliases));
	}),
	refresh: adminProcedure
		.input(providerIdInput)
		.mutation(({ ctx, input }) => ctx.app.models.refresh(input.providerId)),
	create: adminProcedure
		.input(modelCreateInput)
		.mutation(({ ctx, input }) => ctx.app.models.create(input, ctx.user)),
	delete: adminProcedure
		.input(modelKeyInput)
		.mutation(({ ctx, input }) => ctx.app.models.delete(input.providerId, input.modelId, ctx.user)),
	update: adminProcedure
		.input(modelUpdateInput)
		.mutation(({ ctx, input }) => ctx.app.models.update(input, ctx.user))
});
