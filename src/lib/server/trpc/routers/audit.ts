import { auditListInput } from '$lib/schemas/audit';
import { adminProcedure, router } from '../init';

/** The audit log of admin actions: admins only, members get FORBIDDEN. */
export const auditRouter = router({
	list: adminProcedure.input(auditListInput).query(({ ctx, input }) => ctx.app.audit.list(input))
});
