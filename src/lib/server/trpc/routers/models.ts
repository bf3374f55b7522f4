import { modelListInput, modelUpdateInput } from '$lib/schemas/providers';
import { providerIdInput } from '$lib/schemas/providers';
import { adminProcedure, protectedProcedure, router } from '../init';

export const modelsRouter = router({
	list: protectedProcedure.input(modelListInput).query(({ ctx, input }) => ctx.app.models.list(input ?? {})),
	refresh: adminProcedure
		.input(providerIdInput)
		.mutation(({ ctx, input }) => ctx.app.models.refresh(input.providerId)),
	update: adminProcedure
		.input(modelUpdateInput)
		.mutation(({ ctx, input }) => ctx.app.models.update(input, ctx.user))
});
