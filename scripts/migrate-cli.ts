import { env } from '../src/lib/server/env';
import { openDatabase } from '../src/lib/server/db/client';
import { prepareDatabase } from '../src/lib/server/db/migrate';

const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
await prepareDatabase(database);
await database.close();
console.log(`Migrations applied (${database.driver}).`);
