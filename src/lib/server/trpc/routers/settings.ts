import { appSettingsInput } from '$lib/schemas/budget';
import { adminProcedure, router } from '../init';

/** Budgets' and limits' settings: the members' default budget, unpriced models, each role's caps. */
export const settingsRouter = router({
	get: adminProcedure.query(({ ctx }) => ctx.app.appSettings.get()),
	update: adminProcedure
		.input(appSettingsInput)
		.mutation(({ ctx, input }) => ctx.app.appSettings.update(ctx.user, input))
});
