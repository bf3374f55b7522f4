import { userUpdateInput } from '$lib/schemas/auth';
import { userLimitsInput } from '$lib/schemas/budget';
import { userService } from '../../services/user-service';
import { adminProcedure, router } from '../init';

/** Account administration: admins only, members get FORBIDDEN. */
export const usersRouter = router({
	list: adminProcedure.query(({ ctx }) => userService(ctx.app).list()),
	update: adminProcedure
		.input(userUpdateInput)
		.mutation(({ ctx, input }) => userService(ctx.app).update(ctx.user, input)),
	/** A user's own monthly budget and caps (null: the role's). */
	setLimits: adminProcedure
		.input(userLimitsInput)
		.mutation(({ ctx, input }) => userService(ctx.app).setLimits(ctx.user, input))
});
