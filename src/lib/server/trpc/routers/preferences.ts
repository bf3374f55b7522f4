import { setThemeInput } from '$lib/schemas/preferences';
import { protectedProcedure, router } from '../init';

/** The signed-in user's own display preferences, kept server-side so every browser gets them. */
export const preferencesRouter = router({
	theme: protectedProcedure.query(({ ctx }) => ctx.app.users.theme(ctx.user.id)),
	setTheme: protectedProcedure
		.input(setThemeInput)
		.mutation(({ ctx, input }) => ctx.app.users.setTheme(ctx.user.id, input.theme))
});
