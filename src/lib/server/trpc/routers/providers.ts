import { providerCreateInput, providerIdInput, providerUpdateInput } from '$lib/schemas/providers';
import { adminProcedure, protectedProcedure, router } from '../init';

export const providersRouter = router({
	list: protectedProcedure.query(({ ctx }) => ctx.app.providerAdmin.list()),
	get: protectedProcedure
		.input(providerIdInput)
		.query(({ ctx, input }) => ctx.app.providerAdmin.get(input.providerId)),
	kinds: protectedProcedure.query(({ ctx }) => ctx.app.providerAdmin.kinds()),
	create: adminProcedure
		.input(providerCreateInput)
		.mutation(({ ctx, input }) => ctx.app.providerAdmin.create(input, ctx.user)),
	delete: adminProcedure
		.input(providerIdInput)
		.mutation(({ ctx, input }) => ctx.app.providerAdmin.delete(input.providerId, ctx.user)),
	update: adminProcedure
		.input(providerUpdateInput)
		.mutation(({ ctx, input }) => ctx.app.providerAdmin.update(input, ctx.user)),
	test: adminProcedure
		.input(providerIdInput)
		.mutation(({ ctx, input }) => ctx.app.providerAdmin.test(input.providerId))
});
