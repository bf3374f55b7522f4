import { router } from './init';
import { authRouter } from './routers/auth';
import { healthRouter } from './routers/health';
import { usersRouter } from './routers/users';

export const appRouter = router({
	health: healthRouter,
	auth: authRouter,
	users: usersRouter
});

export type AppRouter = typeof appRouter;
