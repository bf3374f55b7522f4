import { modelCreateInput, modelKeyInput, modelListInput, modelUpdateInput } from '$lib/schemas/providers';
import { providerIdInput } from '$lib/schemas/providers';
import { adminProcedure, protectedProcedure, router } from '../init';

export const modelsRouter = router({
	list: protectedProcedure.input(modelListInput).query(({ ctx, input }) => ctx.app.models.list(input ?? {})),
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
