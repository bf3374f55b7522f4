import { nodeServerSettings } from '../../src/lib/server/http/node-request';

/**
 * The lean route's settings in tests: a plain server (no proxy headers) and the body limit the app
 * runs with (scripts/start.mjs sets BODY_SIZE_LIMIT to 24M unless told otherwise).
 */
export const leanSettings = nodeServerSettings({ BODY_SIZE_LIMIT: '24M' });
