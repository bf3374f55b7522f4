import { userUpdateInput } from '$lib/schemas/auth';
import { userLimitsInput } from '$lib/schemas/budget';
import { adminProcedure, router } from '../init';

/** Account administration: admins only, members get FORBIDDEN. */
export const usersRouter = router({
	list: adminProcedure.query(({ ctx }) => ctx.app.users.list()),
	update: adminProcedure
		.input(userUpdateInput)
		.mutation(({ ctx, input }) => ctx.app.users.update(ctx.user, input)),
	/** A user's own monthly budget and caps (null: the role's). */
	setLimits: adminProcedure
		.input(userLimitsInput)
		.mutation(({ ctx, input }) => ctx.app.users.setLimits(ctx.user, input))
});
