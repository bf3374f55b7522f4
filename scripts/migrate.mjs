// `npm run db:migrate`: applies drizzle/ to the configured database without starting the server.
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['tsx', 'scripts/migrate-cli.ts'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
