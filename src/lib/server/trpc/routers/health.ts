import { publicProcedure, router } from '../init';

export const healthRouter = router({
	check: publicProcedure.query(async ({ ctx }) => {
		const started = performance.now();
		await ctx.app.database.ping();
		return {
			ok: true as const,
			database: { driver: ctx.app.database.driver, latencyMs: Math.round(performance.now() - started) }
		};
	})
});
