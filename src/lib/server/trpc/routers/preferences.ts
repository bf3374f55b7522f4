import { setThemeInput } from '$lib/schemas/preferences';
import { userService } from '../../services/user-service';
import { protectedProcedure, router } from '../init';

/** The signed-in user's own display preferences, kept server-side so every browser gets them. */
export const preferencesRouter = router({
	theme: protectedProcedure.query(({ ctx }) => userService(ctx.app).theme(ctx.user.id)),
	setTheme: protectedProcedure
		.input(setThemeInput)
		.mutation(({ ctx, input }) => userService(ctx.app).setTheme(ctx.user.id, input.theme))
});
