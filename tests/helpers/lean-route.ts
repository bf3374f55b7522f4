import { nodeServerSettings } from '../../src/lib/server/http/node-request';

/** The lean route's settings in tests: a plain server (no proxy headers), adapter-node's default body limit. */
export const leanSettings = nodeServerSettings({});
