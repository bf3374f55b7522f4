import { providerIdInput, providerUpdateInput } from '$lib/schemas/providers';
import { adminProcedure, protectedProcedure, router } from '../init';

export const providersRouter = router({
	list: protectedProcedure.query(({ ctx }) => ctx.app.providerAdmin.list()),
	get: protectedProcedure
		.input(providerIdInput)
		.query(({ ctx, input }) => ctx.app.providerAdmin.get(input.providerId)),
	update: adminProcedure
		.input(providerUpdateInput)
		.mutation(({ ctx, input }) => ctx.app.providerAdmin.update(input, ctx.user)),
	test: adminProcedure
		.input(providerIdInput)
		.mutation(({ ctx, input }) => ctx.app.providerAdmin.test(input.providerId))
});
