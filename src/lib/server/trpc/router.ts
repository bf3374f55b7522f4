import { router } from './init';
import { attachmentsRouter } from './routers/attachments';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { chatsRouter } from './routers/chats';
import { completionsRouter } from './routers/completions';
import { healthRouter } from './routers/health';
import { modelsRouter } from './routers/models';
import { preferencesRouter } from './routers/preferences';
import { providersRouter } from './routers/providers';
import { usageRouter } from './routers/usage';
import { usersRouter } from './routers/users';
import { aliasesRouter } from './routers/aliases';
import { settingsRouter } from './routers/settings';

export const appRouter = router({
	health: healthRouter,
	auth: authRouter,
	users: usersRouter,
	aliases: aliasesRouter,
	providers: providersRouter,
	models: modelsRouter,
	chats: chatsRouter,
	attachments: attachmentsRouter,
	completions: completionsRouter,
	usage: usageRouter,
	audit: auditRouter,
	preferences: preferencesRouter,
	settings: settingsRouter
});

export type AppRouter = typeof appRouter;
