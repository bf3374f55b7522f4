import { aliasNameInput, aliasSetInput } from '$lib/schemas/providers';
import { adminProcedure, protectedProcedure, router } from '../init';

export const aliasesRouter = router({
	list: protectedProcedure.query(({ ctx }) => ctx.app.aliases.list()),
	set: adminProcedure.input(aliasSetInput).mutation(({ ctx, input }) => ctx.app.aliases.set(input, ctx.user)),
	delete: adminProcedure
		.input(aliasNameInput)
		.mutation(({ ctx, input }) => ctx.app.aliases.delete(input.name, ctx.user))
});
